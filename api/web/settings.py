"""Settings of the web API, from the environment (``LOTSE_API_…``) or an env file.

>>> s = ApiSettings(store="/tmp/kette.json", tokens_file=None, auth=False)
>>> s.store, s.auth, s.host
('/tmp/kette.json', False, '127.0.0.1')
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from api.stores import default_store

__all__ = ["ApiSettings"]


class ApiSettings(BaseSettings):
    """Where the chain is kept, who may do what, who may call from a browser."""

    model_config = SettingsConfigDict(env_prefix="LOTSE_API_", extra="ignore")

    store: str = Field(default_factory=default_store,
                       description="Speicher: Dateipfad oder neo4j://-Adresse")
    tokens_file: Path | None = Field(
        default=None, description="YAML-Datei mit den API-Tokens (nur Hashes), siehe "
                                  "'lotse token add'")
    auth: bool = Field(default=True, description="Ohne Anmeldung nur für die eigene "
                                                 "Maschine: alle sind Koordination")
    users_file: Path | None = Field(
        default=None, description="YAML-Datei mit den Benutzern der Werkstatt (argon2-Hashes), "
                                  "siehe 'lotse user add'")
    session_secret: str | None = Field(
        default=None, description="Schlüssel, mit dem die Sitzungs-Cookies signiert werden; "
                                  "ohne: eine Datei neben der Benutzerdatei (einmal erzeugt)")
    secure_cookies: bool = Field(default=False, description="Cookies nur über HTTPS senden "
                                                            "(hinter einem TLS-Proxy einschalten)")
    login_delay: float = Field(default=1.0, ge=0.0, le=30.0,
                               description="Wartezeit in Sekunden nach einer falschen Anmeldung "
                                           "(verdoppelt sich bei jedem weiteren Fehlversuch)")
    cors_origins: list[str] = Field(default_factory=list,
                                    description="Erlaubte Browser-Ursprünge (CORS)")
    host: str = "127.0.0.1"
    port: int = 8000
    max_page: int = Field(default=500, ge=1, description="Höchstens so viele Einträge je Seite")
