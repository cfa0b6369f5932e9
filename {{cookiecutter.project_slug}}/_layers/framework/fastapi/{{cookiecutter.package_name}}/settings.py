"""Settings from environment variables (or a .env file), validated at startup."""

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    # SQLAlchemy URL, e.g. postgresql+psycopg://user:password@host:5432/dbname
    database_url: str
    # Seconds to wait for a new database connection before /ready reports 503.
    database_connect_timeout: int = Field(default=3, ge=1)
    database_pool_size: int = Field(default=5, ge=1)


@lru_cache
def get_settings() -> Settings:
    return Settings()
