"""Settings from environment variables, validated at startup."""

from functools import lru_cache

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore")

    # postgresql://user:password@host:5432/dbname (the psycopg 3 driver is filled in)
    database_url: str
    # Seconds a request waits for a database connection, a new one or a free one from the pool,
    # before it answers 503 (and /ready reports 503).
    database_connect_timeout: int = Field(default=3, ge=1)
    # Connections each worker process keeps at most; WEB_CONCURRENCY times this must stay below
    # the server's max_connections (see the README).
    database_pool_size: int = Field(default=4, ge=1)

    @field_validator("database_url")
    @classmethod
    def use_psycopg(cls, url: str) -> str:
        """Take postgres:// and postgresql:// URLs; SQLAlchemy wants the driver named."""
        scheme, _, rest = url.partition("://")
        if scheme not in {"postgres", "postgresql", "postgresql+psycopg"} or not rest:
            raise ValueError("must be a postgresql://user:password@host:port/dbname URL")
        return f"postgresql+psycopg://{rest}"


@lru_cache
def get_settings() -> Settings:
    """The settings, or an exit with one line naming each variable that is missing or wrong."""
    try:
        return Settings()
    except ValidationError as error:
        problems = [
            f"{'_'.join(map(str, problem['loc'])).upper()}: {problem['msg']}"
            for problem in error.errors()
        ]
        raise SystemExit(f"error: {'; '.join(problems)}") from None
