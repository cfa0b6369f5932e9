"""Settings from environment variables (or a .env file), validated at startup."""

from functools import lru_cache

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    # postgresql://user:password@host:5432/dbname (the psycopg 3 driver is filled in)
    database_url: str
    # Seconds to wait for a new database connection before /ready reports 503.
    database_connect_timeout: int = Field(default=3, ge=1)
    database_pool_size: int = Field(default=5, ge=1)

    @field_validator("database_url")
    @classmethod
    def use_psycopg(cls, url: str) -> str:
        """Take postgres:// and postgresql:// URLs; SQLAlchemy wants the driver named."""
        scheme, _, rest = url.partition("://")
        if scheme in {"postgres", "postgresql"}:
            return f"postgresql+psycopg://{rest}"
        return url


@lru_cache
def get_settings() -> Settings:
    return Settings()
