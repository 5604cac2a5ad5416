"""German texts of the command line, in one place."""

from __future__ import annotations

APP_HELP = """\
[bold]lotse[/bold] – Präventionsketten modellieren, Lücken und brüchige Übergänge finden.

Der Speicher ist eine Datei auf Ihrem Rechner (Standard: [bold]lotse-speicher.json[/bold] im
aktuellen Ordner, oder [bold]$LOTSE_STORE[/bold]); ein Server ist nicht nötig.

[bold]Erste Schritte:[/bold]

  lotse seeds                          Beispielnetze anzeigen
  lotse load brunnenstrasse            Referenzquartier in den Speicher laden
  lotse summary                        Übersicht je Quartier und Lebensphase
  lotse validate meine-kette.yaml      eigene Datei prüfen (alle Fehler auf einmal)
  lotse load meine-kette.yaml          eigene Kette laden

Das Dateiformat ist in docs/format.md beschrieben.
"""

STORE_HELP = ("Speicher: Pfad der Speicherdatei (Standard: lotse-speicher.json, "
              "oder Umgebungsvariable LOTSE_STORE).")
AS_OF_HELP = "Stichtag (JJJJ-MM-TT oder TT.MM.JJJJ); Standard: heute."
QUARTER_HELP = "Nur dieses Quartier (Kennung oder Name); mehrfach angebbar."
SOURCE_HELP = "Name eines Beispielnetzes (siehe 'lotse seeds') oder Pfad einer YAML-/JSON-Datei."

SEEDS_HELP = """Beispielnetze auflisten, die mit 'lotse load NAME' geladen werden können.

[bold]Beispiel:[/bold]  lotse seeds
"""

LOAD_HELP = """Ein Beispielnetz oder eine Netzwerk-Datei prüfen und in den Speicher laden.

Der bisherige Inhalt des Speichers wird ersetzt – aber nur, wenn die neue Kette
fehlerfrei ist; sonst bleibt der Speicher unverändert.

[bold]Beispiele:[/bold]

  lotse load brunnenstrasse
  lotse load meine-kette.yaml --store quartier.json
  lotse load dortmund --quarter hoerde
"""

SUMMARY_HELP = """Übersicht: Angebote, Träger, Übergänge und Vereinbarungen je Quartier,
aktive Angebote je Lebensphase; leere Lebensphasen sind als Lücke markiert.

[bold]Beispiele:[/bold]

  lotse summary
  lotse summary --quarter brunnenstrasse --as-of 2027-01-01
"""

VALIDATE_HELP = """Netzwerk-Dateien prüfen, ohne etwas zu speichern. Meldet alle Probleme
auf einmal, jeweils mit Datei, Zeile, Kennung und Feld.

[bold]Beispiel:[/bold]  lotse validate meine-kette.yaml
"""
VALIDATE_FILES_HELP = "Eine oder mehrere YAML-/JSON-Dateien."

EXPORT_HELP = """Den Inhalt des Speichers als lesbare Netzwerk-Datei schreiben
(YAML, oder JSON bei Endung .json).

[bold]Beispiele:[/bold]

  lotse export kette.yaml
  lotse export hoerde.yaml --quarter hoerde
"""
EXPORT_TARGET_HELP = "Zieldatei (.yaml oder .json)."

GENERATE_HELP = """Ein synthetisches Netz mit bekannten, eingebauten Mängeln erzeugen
(für Tests und Messungen). Die Mängel stehen in DATEI.maengel.json.

[bold]Beispiele:[/bold]

  lotse generate netz.json --quarters 10
  lotse generate gross.json --quarters 1000 --services 200
"""
GENERATE_TARGET_HELP = "Zieldatei (.json empfohlen für große Netze)."

LOADED = ("[green]✓[/green] '{name}' in den Speicher {where} geladen: {quarters} Quartier(e), "
          "{services} Angebote, {transitions} Übergänge, {agreements} Vereinbarungen.")
REPLACED = "  Der bisherige Inhalt ('{name}', {services} Angebote) wurde ersetzt."
VALID = ("[green]✓[/green] {path}: gültig – {quarters} Quartier(e), {services} Angebote, "
         "{transitions} Übergänge.")
EXPORTED = "[green]✓[/green] {path} geschrieben ({services} Angebote)."
GENERATED = ("[green]✓[/green] {path}: {quarters} Quartiere, {services} Angebote, "
             "{transitions} Übergänge, {defects} eingebaute Mängel (Liste: {ledger}).")
TOTALS = ("{quarters} Quartier(e), {providers} Träger, {services} Angebote, "
          "{transitions} Übergänge, {agreements} Vereinbarungen, "
          "{referral_flows} Vermittlungszahlen.")
GAPS = "Lücken (keine aktiven Angebote):"
BAD_DATE = ("Datum '{value}' hat das falsche Format oder existiert nicht; erwartet wird "
            "JJJJ-MM-TT (z. B. 2026-12-31) oder TT.MM.JJJJ (z. B. 31.12.2026).")
INTERRUPTED = "Abgebrochen. Der Speicher ist unverändert oder vollständig geschrieben."
INTERNAL_ERROR = ("Interner Fehler ({kind}: {error}). Das ist ein Fehler im Programm, nicht "
                  "in Ihren Daten. Bitte melden; mit LOTSE_DEBUG=1 erscheinen Details.")
