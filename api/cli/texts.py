"""German texts of the command line, in one place."""

from __future__ import annotations

from api.usecases.wording import hsds_replace_loses
from graph.vocabulary import count

__all__ = ["count", "hsds_replace_loses"]  # and the texts below

APP_HELP = """\
[bold]lotse[/bold] – Präventionsketten modellieren, Lücken und brüchige Übergänge finden.

Der Speicher ist eine Datei auf Ihrem Rechner (Standard: [bold]lotse-speicher.sqlite[/bold] im
aktuellen Ordner, oder [bold]$LOTSE_STORE[/bold]); ein Server ist nicht nötig.

[bold]Erste Schritte:[/bold]

  lotse seeds                          Beispielnetze anzeigen
  lotse load brunnenstrasse            Referenzquartier in den Speicher laden
  lotse summary                        Übersicht je Quartier und Lebensphase
  lotse validate meine-kette.yaml      eigene Datei prüfen (alle Fehler auf einmal)
  lotse load meine-kette.yaml          eigene Kette laden

Das Dateiformat ist in docs/format.md beschrieben.
"""

STORE_HELP = ("Speicher: Pfad der Speicherdatei (Standard: lotse-speicher.sqlite, eine "
              "SQLite-Datenbank; *.json: Speicher als JSON-Datei; oder Umgebungsvariable "
              "LOTSE_STORE).")
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

EXPORT_HELP = """Den Inhalt des Speichers als Datei schreiben; das Format folgt der Endung:
.yaml/.json (Netzwerk-Dokument, wieder ladbar), .graphml/.gexf (für Gephi und yEd, alle
Merkmale), .ics (Überprüfungs- und Ablauftermine der Vereinbarungen für den Kalender).

[bold]Beispiele:[/bold]

  lotse export kette.yaml
  lotse export hoerde.yaml --quarter hoerde
  lotse export kette.graphml
  lotse export vereinbarungen.ics
  lotse export kette.xlsx           (dieselbe Form wie 'lotse template')
  lotse export kette-csv            (ohne Endung: ein Ordner mit CSV-Dateien)
  lotse export kette.hsds.json      (Open Referral HSDS 3.0 für Angebotsverzeichnisse)
  lotse export seite.json --format hsds-seiten   (HSDS als Seite der HSDS-Schnittstelle)
  lotse export hsds-paket --format hsds-csv      (HSDS-Tabellenpaket: CSV-Ordner)
"""
EXPORT_TARGET_HELP = "Zieldatei: .yaml, .json, .xlsx, .graphml, .gexf, .ics – ohne Endung ein Ordner für CSV."
EXPORT_SUFFIX = ("Unbekannte Endung '{suffix}': möglich sind .yaml, .json (Netzwerk-Dokument), "
                 ".xlsx (Excel), .graphml, .gexf (Gephi, yEd), .ics (Kalender) oder ohne "
                 "Endung ein Ordner für CSV-Dateien.")

GENERATE_HELP = """Ein synthetisches Netz mit bekannten, eingebauten Mängeln erzeugen
(für Tests und Messungen). Die Mängel stehen in DATEI.maengel.json.

[bold]Beispiele:[/bold]

  lotse generate netz.json --quarters 10
  lotse generate gross.json --quarters 1000 --services 200
"""
GENERATE_TARGET_HELP = "Zieldatei (.json empfohlen für große Netze)."

# counts are passed already with their noun in the right number: count(1, "Angebot", …)
LOADED = ("[green]✓[/green] '{name}' in den Speicher {where} geladen: {quarters}, "
          "{services}, {transitions}, {agreements}.")
REPLACED = "  Der bisherige Inhalt ('{name}', {services}) wurde ersetzt."
VALID = ("[green]✓[/green] {path}: gültig – {quarters}, {services}, {transitions}.")
EXPORTED = "[green]✓[/green] {path} geschrieben ({services})."
ICS_WRITTEN = "[green]✓[/green] {path} geschrieben ({events})."
GENERATED = ("[green]✓[/green] {path}: {quarters}, {services}, {transitions}, {defects} "
             "(Liste: {ledger}).")
TOTALS = ("{quarters}, {providers} Träger, {services}, {transitions}, {agreements}, "
          "{referral_flows}.")
GAPS = "Lücken (keine aktiven Angebote):"
BAD_DATE = ("Datum '{value}' hat das falsche Format oder existiert nicht; erwartet wird "
            "JJJJ-MM-TT (z. B. 2026-12-31) oder TT.MM.JJJJ (z. B. 31.12.2026).")
INTERRUPTED = "Abgebrochen. Der Speicher ist unverändert oder vollständig geschrieben."
INTERNAL_ERROR = ("Interner Fehler ({kind}: {error}). Das ist ein Fehler im Programm, nicht "
                  "in Ihren Daten. Bitte melden; mit LOTSE_DEBUG=1 erscheinen Details.")

# -- analysis commands ------------------------------------------------------------------
JSON_HELP = "Maschinenlesbar als JSON ausgeben."
HORIZON_HELP = "Vereinbarungen, die innerhalb so vieler Tage enden, gelten als auslaufend."
LOSS_HELP = "Anteil verlorener Familien, ab dem ein Übergang als verlustreich gilt (0.3 = 30 %)."
CAPACITY_HELP = "Kapazität unter diesem Anteil der Kinder einer Lebensphase ist eine Lücke."
QUARTER_ONE_HELP = "Quartier (Kennung oder Name)."
NO_FINDINGS = "[green]Keine Befunde – die Kette trägt.[/green]"
CHECK_TITLE = "Befunde für {where} – Stand {day:%d.%m.%Y}"
CHECK_HELP = """Die Kette prüfen: Lücken, brüchige Übergänge, fehlende oder auslaufende
Vereinbarungen, Bildungsperlen, Ausfallpunkte – nach Schwere sortiert, mit nächstem Schritt,
geschätzten Familien im Jahr und dem Schlüssel jedes Befunds. Akzeptierte Befunde
(lotse accept) sind ausgeblendet und werden gezählt.

[bold]Beispiele:[/bold]

  lotse check
  lotse check --top 5                (die wichtigsten Baustellen)
  lotse check --accepted             (akzeptierte Befunde mit Grund)
  lotse check --quarter brunnenstrasse --as-of 2027-01-01
  lotse check --json > befunde.json
  lotse check --horizon 180          (auslaufend: innerhalb von 180 Tagen)
"""
TOP_HELP = "Nur die wichtigsten N Befunde (nach Schwere × Familien im Jahr)."
TOP_TITLE = "Die wichtigsten Baustellen ({n}) – {where}, Stand {day:%d.%m.%Y}"
ACCEPTED_HELP = "Die akzeptierten Befunde zeigen (mit Grund, wer, wann, bis wann)."
ACCEPTED_TITLE = "Akzeptierte Befunde ({n}) – geprüft, bewusst so"
ACCEPTED_HIDDEN = ("[dim]{n} akzeptierte Befunde ausgeblendet (geprüft, bewusst so); "
                   "zeigen mit --accepted.[/dim]")
ACCEPTED_BACK = ("[yellow]{key}: akzeptiert bis {until:%d.%m.%Y} – abgelaufen, der Befund "
                 "ist wieder offen.[/yellow]")
ACCEPTED_RESOLVED = "[green]{key}: Befund behoben (gibt es am Stichtag nicht mehr).[/green]"
ACCEPT_HELP = """Einen Befund akzeptieren: geprüft, bewusst so. Er wird bei lotse check
ausgeblendet (und gezählt), bis zum Datum von --until; danach ist er wieder offen. Die
Annahme steht im Netzwerk (Abschnitt accepted_findings) und im Änderungsprotokoll (wer,
wann). Den Schlüssel zeigt lotse check (z. B. PEARL/sprachbilderbuecher).

[bold]Beispiele:[/bold]

  lotse accept PEARL/sprachbilderbuecher --reason "Kampagne, kein Übergang nötig"
  lotse accept SINGLE_POINT/hoerde --reason "Klinik deckt ab" --until 2027-06-30 --by Koordination
"""
ACCEPT_KEY_HELP = "Schlüssel des Befunds (Spalte „Befund“ von lotse check)."
ACCEPT_REASON_HELP = "Warum der Befund so gewollt ist (Pflicht)."
ACCEPT_UNTIL_HELP = "Bis zu diesem Tag ausgeblendet (JJJJ-MM-TT oder TT.MM.JJJJ)."
ACCEPT_BY_HELP = "Wer akzeptiert: eine Rolle, keine Person (z. B. Koordination)."
ACCEPTED_DONE = "Befund {key} akzeptiert{until} (Änderung Nr. {seq}, {actor})."
UNACCEPT_HELP = """Die Markierung „geprüft, bewusst so“ eines Befunds aufheben: er zählt wieder
als offen.

[bold]Beispiel:[/bold] lotse unaccept PEARL/sprachbilderbuecher"""
UNACCEPTED_DONE = "Markierung von {key} aufgehoben: der Befund ist wieder offen (Änderung Nr. {seq}, {actor})."
OWNER_HELP = """Wer ist für einen Übergang verantwortlich? Nach Kennung, nach den Namen der
beiden Angebote, alle Übergänge eines Trägers, Übergänge ohne Verantwortlichen oder die
Verantwortungstabelle eines Quartiers (Übergang, Verantwortlicher, Vereinbarung, gültig bis).

[bold]Beispiele:[/bold]

  lotse owner babylotsen-familienhebammen
  lotse owner --from "Willkommensbesuch" --to "Griffbereit – Baby-Eltern-Treff"
  lotse owner --provider "AWO Unterbezirk Dortmund"
  lotse owner --unowned
  lotse owner --quarter brunnenstrasse
"""
OWNER_TRANSITION_HELP = "Kennung des Übergangs."
OWNER_FROM_HELP = "Angebot, von dem der Übergang ausgeht (Name oder Kennung)."
OWNER_TO_HELP = "Angebot, zu dem der Übergang führt (Name oder Kennung)."
OWNER_PROVIDER_HELP = "Alle Übergänge, für die dieser Träger verantwortlich ist."
OWNER_UNOWNED_HELP = "Nur Übergänge ohne Verantwortlichen."
OWNER_BOTH = "Bitte beide Angebote nennen: --from … und --to …"
OWNER_ONE = "Verantwortung für den Übergang"
OWNER_PROVIDER = "Übergänge in der Verantwortung von {provider}"
OWNER_UNOWNED = "Übergänge ohne Verantwortlichen"
OWNER_TABLE = "Verantwortungstabelle {where} – Stand {day:%d.%m.%Y}"
OWNER_ANSWER = "Für den Übergang {label} ist verantwortlich: [bold]{owner}[/bold] ({status})."
KIND_LABELS = {"warm_handoff": "warme Übergabe", "referral": "Vermittlung",
               "information": "nur Information"}
NEXT_HELP = """Der Lotse: Welche Angebote passen als nächstes zu einer Familie, und wer
übergibt sie dorthin? Für ein Quartier, das Alter des Kindes in Monaten, die Sprache und
den Bedarf der Familie – mit dem Übergabeweg, dem Verantwortlichen und der Vereinbarung
jedes Schritts. Sagt deutlich, wenn die Kette keine Antwort hat.

[bold]Beispiele:[/bold]

  lotse next --quarter brunnenstrasse --age 24 --language Arabisch
  lotse next --quarter hoerde --age 60 --need Bildung
  lotse next --quarter brunnenstrasse --age 5 --from "Willkommensbesuch"
"""
AGE_HELP = "Alter des Kindes in Monaten (negativ: vor der Geburt, z. B. -3)."
LANGUAGE_HELP = "Sprache der Familie (Code wie ar oder Name wie Arabisch)."
NEED_HELP = "Bedarf als Handlungsfeld (z. B. Bildung, Gesundheit); mehrfach angebbar."
CURRENT_HELP = "Angebot, in dem die Familie gerade ist (Name oder Kennung)."
NEXT_TITLE = "Nächste Angebote für ein Kind von {age} Monaten ({stages})"
NEXT_NO_PATH = "Kein organisierter Übergang führt dorthin – die Familie müsste selbst hinfinden."
NEXT_START = "Hier beginnt die Kette (Einstiegsangebot)."
INDICATORS_HELP = """Kennzahlen je Quartier, Stadtbezirk oder Kommune: Abdeckung der
Lebensphasen, Anteil verbindlich abgesicherter Übergänge, Kontinuität der Kette, Perlen,
auslaufende Vereinbarungen, Verlustquote und Kapazität je 100 Kinder (mit --json).

[bold]Beispiele:[/bold]

  lotse indicators
  lotse indicators --level district
  lotse indicators --level municipality --as-of 2027-01-01 --json
"""
LEVEL_HELP = ("Ebene: quarter (Quartier), district (Stadtbezirk), municipality (Kommune), "
              "county (Kreis) oder state (Land).")
BAD_LEVEL = ("Ebene '{level}' gibt es nicht; möglich sind quarter, district, municipality, "
             "county, state.")
INDICATORS_LEGEND = ("Abdeckung: Lebensphasen mit laufendem Angebot · verbindlich: Übergänge mit "
                     "gültiger verbindlicher Vereinbarung · Kontinuität: verbundene Phasenpaare · "
                     "Verlust: nicht angekommene Familien laut Vermittlungszahlen.")
COMPARE_HELP = """Quartiere vergleichen (Transferbörse): welche Glieder der Kette hat ein
Quartier, die dem anderen fehlen? Mit zwei Quartieren ein direkter Vergleich, ohne oder mit
mehr Quartieren eine Übersicht aller Glieder.

[bold]Beispiele:[/bold]

  lotse compare brunnenstrasse hoerde
  lotse compare
  lotse compare selm-mitte luenen-sued --with luenen.json
  lotse compare --level kommune
  lotse compare --gebiet "Kreis Unna"
"""
COMPARE_LEVEL_HELP = ("Glieder je Gebiet statt je Quartier vergleichen: district (Stadtbezirk), "
                      "municipality (Kommune), county (Kreis) oder state (Land); deutsch auch "
                      "bezirk, kommune, kreis, land.")
COMPARE_AREA_HELP = ("Nur die Quartiere eines Gebiets vergleichen: Land, Kreis, Kommune oder "
                     "Stadtbezirk (Kennung oder Name, z. B. \"Kreis Unna\").")
COMPARE_AREA_MATRIX = "Glieder der Kette je {level}"
COMPARE_QUARTERS_HELP = "Zwei Quartiere für den direkten Vergleich, sonst beliebig viele."
COMPARE_ONLY = "Nur in {a}, fehlt in {b}"
COMPARE_SHARED = "{n} Glieder haben beide Quartiere."
COMPARE_MATRIX = "Glieder der Kette je Quartier"
COMPARE_LEGEND = ("✓ vorhanden und verbindlich abgesichert · ○ vorhanden, nicht abgesichert · "
                  "– fehlt")
IMPACT_HELP = """Was wäre, wenn …? Ein Träger steigt aus oder ein Angebot endet: welche
Befunde kommen hinzu?

[bold]Beispiele:[/bold]

  lotse impact --provider "AWO Unterbezirk Dortmund"
  lotse impact --service kita-bornstrasse --as-of 2027-01-01
"""
IMPACT_PROVIDER_HELP = "Träger, der aussteigt (Name oder Kennung)."
IMPACT_SERVICE_HELP = "Angebot, das endet (Name oder Kennung)."
IMPACT_ONE = "Bitte genau eins angeben: --provider … oder --service …"
IMPACT_TITLE = "Wenn wegfällt: {names} (Stand {day:%d.%m.%Y})"
IMPACT_APPEARED = "Neue Befunde: {n}"
IMPACT_RESOLVED = "Entfallen ({n}) – sie betrafen die weggefallenen Angebote:"

# -- push / pull ---------------------------------------------------------------------------
PUSH_FROM_HELP = "Quelle: Speicherdatei oder neo4j://-Adresse."
PUSH_TO_HELP = "Ziel: neo4j://-Adresse oder Speicherdatei."
PUSH_HELP = """Das Netzwerk aus der Speicherdatei in eine Neo4j-Datenbank übertragen (ersetzt
dort den Inhalt, in einer Transaktion: alles oder nichts). Benutzer und Passwort kommen aus
LOTSE_NEO4J_USER und LOTSE_NEO4J_PASSWORD, die Adresse aus --to oder LOTSE_NEO4J_URI.

[bold]Beispiele:[/bold]

  lotse push --to neo4j://127.0.0.1:7687
  lotse push --from quartier.json --to neo4j://db.stadt.example:7687/neo4j
"""
NEO4J_IMPORT_HELP = """Eine [bold]leere[/bold] Neo4j-Datenbank mit dem Netzwerk füllen, offline und
schnell: lotse schreibt CSV-Dateien in ORDNER, Neo4j liest sie mit
'neo4j-admin database import full' ein (bei einem Land-Netz zwei- bis dreimal so schnell
wie 'lotse push'). Dafür muss der Neo4j-Server angehalten sein; danach wieder starten, die erste
Verbindung von lotse legt die Indexe an. Ohne --neo4j-admin nennt lotse den Befehl für die
Betreuung des Servers. Eine Datenbank mit Inhalt ersetzt 'lotse push' (alles oder nichts);
dieses Einlesen überschreibt die Dateien der Datenbank.

[bold]Beispiele:[/bold]

  lotse neo4j-import neo4j-import/
  lotse neo4j-import neo4j-import/ --neo4j-admin /var/lib/neo4j/bin/neo4j-admin
"""
NEO4J_IMPORT_FOLDER_HELP = "Ordner für die CSV-Dateien (leer oder noch nicht vorhanden)"
NEO4J_IMPORT_ADMIN_HELP = ("neo4j-admin dieses Servers: gleich einlesen (der Server muss "
                           "angehalten sein)")
NEO4J_IMPORT_DATABASE_HELP = "Name der Datenbank"
NEO4J_IMPORT_NOT_EMPTY = ("Der Ordner '{folder}' ist nicht leer. Bitte einen leeren oder "
                          "neuen Ordner angeben.")
NEO4J_IMPORT_WRITTEN = ("{rows} Zeilen ({services}, {transitions}) in {seconds:.1f} s nach "
                        "'{folder}' geschrieben.")
NEO4J_IMPORT_STEPS = """So kommt das Netz in die [bold]leere[/bold] Datenbank '{database}':
  1. Neo4j-Server anhalten (z. B. 'neo4j stop' oder 'systemctl stop neo4j').
  2. {command}
  3. Server wieder starten. Die erste Verbindung von lotse legt die Indexe an.
Achtung: Schritt 2 überschreibt die Datenbank '{database}'."""
NEO4J_IMPORT_DONE = ("Eingelesen: {rows} Zeilen in {seconds:.1f} s ({rate} Zeilen/s). Jetzt den "
                     "Server wieder starten.")
NEO4J_IMPORT_FAILED = ("neo4j-admin hat das Einlesen abgebrochen (Rückgabewert {code}). Läuft "
                       "der Server noch? Er muss angehalten sein. Die Datenbank ist danach "
                       "nicht benutzbar: Fehler beheben und denselben Befehl noch einmal "
                       "ausführen.\n{output}")
NEO4J_ADMIN_MISSING = ("'{path}' gibt es nicht. Gemeint ist das Programm neo4j-admin im "
                       "Ordner bin/ der Neo4j-Installation.")
PULL_HELP = """Das Netzwerk aus einer Neo4j-Datenbank in eine Speicherdatei holen.

[bold]Beispiele:[/bold]

  lotse pull --from neo4j://127.0.0.1:7687 --to kopie.json
  lotse pull                 (aus LOTSE_NEO4J_URI in lotse-speicher.sqlite)
"""
NO_SERVER = "Keine Datenbank angegeben: bitte {option} neo4j://… nennen oder LOTSE_NEO4J_URI setzen."
NOT_A_SERVER = "{option} '{value}' ist keine Datenbankadresse (neo4j://… oder bolt://…)."
PULL_TO_FILE = "'lotse pull' schreibt in eine Datei; für Datenbank zu Datenbank bitte zweimal kopieren."
COPYING = "Übertrage nach {target}"
COPIED = ("[green]✓[/green] '{name}' von {source} nach {target} übertragen: {services}, "
          "{transitions}.")

# -- tables (Excel, CSV) ---------------------------------------------------------------------
TEMPLATE_HELP = """Eine Excel-Vorlage (.xlsx) für die eigene Kette schreiben: ein Blatt je Art
(Träger, Angebote, Übergänge, Vereinbarungen …), deutsche Spaltenköpfe, Auswahllisten und
eine ausgefüllte Beispielzeile. Ohne Endung: derselbe Aufbau als Ordner mit CSV-Dateien.

[bold]Beispiele:[/bold]

  lotse template meine-kette.xlsx
  lotse template meine-kette-csv
"""
TEMPLATE_TARGET_HELP = "Zieldatei (.xlsx) oder Ordner für CSV-Dateien."
TEMPLATE_SUFFIX = "Bitte eine .xlsx-Datei oder einen Ordner (ohne Endung) angeben."
TEMPLATE_WRITTEN = "[green]✓[/green] Vorlage {path} geschrieben. Ausfüllen, dann: lotse import {path}"
IMPORT_HELP = """Eine ausgefüllte Excel-Vorlage (.xlsx), einen Ordner mit CSV-Dateien, eine
Netzwerk-Datei (.yaml, .json) oder ein HSDS-Verzeichnis prüfen und in den Speicher laden
(die Art wird am Inhalt erkannt). Alle Probleme werden auf einmal gemeldet, mit Blatt, Zeile und
Spalte; gespeichert wird nur, wenn alles stimmt – oder mit --partial nur die fehlerfreien
Zeilen (die Meldung nennt genau, was ausgelassen wurde).

[bold]Beispiele:[/bold]

  lotse import meine-kette.xlsx
  lotse import meine-kette.xlsx --partial
  lotse import meine-kette-csv --store quartier.json
  lotse import verzeichnis.hsds.json     (Open Referral HSDS 3.0, auch als CSV-Paket)
"""
IMPORT_SOURCE_HELP = ("Excel-Datei (.xlsx), Ordner mit CSV-Dateien, Netzwerk-Datei (.yaml, "
                      ".json) oder HSDS (JSON oder CSV-Paket).")
PARTIAL_HELP = "Nur die fehlerfreien Zeilen übernehmen und die ausgelassenen auflisten."
PARTIAL_TABLES_ONLY = ("--partial gilt nur für Excel- und CSV-Tabellen; eine Netzwerk- oder "
                       "HSDS-Datei wird ganz oder gar nicht übernommen. Nichts wurde gespeichert.")
IMPORT_FAILED = "{path}: {n}, nichts wurde gespeichert. Bitte korrigieren oder mit --partial nur die fehlerfreien Zeilen übernehmen."
IMPORT_SKIPPED = "[yellow]{n} ausgelassen (--partial):[/yellow]"
HSDS_NOT_EXPORTED = "[yellow]In HSDS nicht übertragen:[/yellow] {note}"

# -- maps, matrix, report ---------------------------------------------------------------------
MAP_HELP = """Die Kettenkarte eines Quartiers: Lebensphasen als Spalten, Handlungsfelder als
Bahnen, gebrochene Übergänge rot, Lücken als rote Platzhalter. Als HTML (interaktiv, ohne
Internet: Filter nach Träger, Lebensphase, nur Probleme; Besprechungsmodus) oder als
PNG/SVG/PDF für Folien. Mehrere oder alle Quartiere: bis 3.000 Knoten alle Ketten
untereinander, darüber die Stadtansicht (ein Knoten je Quartier).

[bold]Beispiele:[/bold]

  lotse map --quarter brunnenstrasse
  lotse map -q brunnenstrasse --meeting --out karte.html
  lotse map -q brunnenstrasse --format png --out karte.png
  lotse map -q brunnenstrasse --focus Willkommensbesuch --hops 2
  lotse map -q brunnenstrasse --from Babylotsen --to "Grundschule Kleine Kielstraße"
  lotse map --all --out stadt.html
"""
MATRIX_HELP = """Die Matrix Lebensphasen × Handlungsfelder eines Quartiers (Planungsraster der
Präventionskette): welche Felder Angebote haben, welche leer sind, wie viele Übergaben
jedes Feld verlassen. Als HTML, PNG, SVG oder PDF.

[bold]Beispiele:[/bold]

  lotse matrix --quarter brunnenstrasse
  lotse matrix -q brunnenstrasse --format png --out matrix.png
"""
REPORT_HELP = """Der Quartiersbericht für die Steuerungsgruppe: Kennzahlen, Befunde, Kettenkarte
und Matrix auf einer druckbaren HTML-Seite (im Browser als PDF drucken).

[bold]Beispiele:[/bold]

  lotse report --quarter brunnenstrasse
  lotse report -q brunnenstrasse --as-of 2027-01-01 --out bericht.html
"""
SLIDES_HELP = """Folien für die Steuerungsgruppe als PDF im Format 16:9, in großer Schrift: Titelseite
mit den Zahlen des Quartiers, die Kettenkarte, „Die wichtigsten Baustellen“ (die fünf
schwersten Befunde mit nächstem Schritt) und die Verantwortungstabelle.

[bold]Beispiele:[/bold]

  lotse slides --quarter brunnenstrasse
  lotse slides -q brunnenstrasse --as-of 2027-01-01 --out sitzung.pdf
  lotse slides --all                     # folien-QUARTIER.pdf für jedes Quartier
"""
SLIDES_ALL_HELP = "Für jedes Quartier eine Datei folien-QUARTIER.pdf (mit --out: in diesen Ordner)."
FORMAT_HELP = "Ausgabeformat: html, png, svg oder pdf; Standard: nach der Endung von --out, sonst html."
OUT_HELP = "Zieldatei; Standard: <art>-<quartier>.<format> im aktuellen Ordner."
MEETING_HELP = ("Besprechungsmodus: die Kette groß (Schrift ab 20 px bei 1280×720), Legende in einer "
                "Zeile, alles außer den Problemen blass. Eigene Datei (karte-QUARTIER-besprechung.html), "
                "die normale Karte bleibt.")
FOCUS_HELP = "Nur dieses Angebot oder diesen Träger und seine Nachbarschaft zeigen."
HOPS_HELP = "Wie viele Übergaben um den Fokus herum gezeigt werden."
PATH_FROM_HELP = "Weg einer Familie hervorheben: von diesem Angebot …"
PATH_TO_HELP = "… zu diesem Angebot (zusammen mit --from)."
ALL_HELP = "Alle Quartiere auf eine Karte (ab 3.000 Knoten als Stadtansicht)."
LIMIT_HELP = "Ab so vielen Knoten zeigt die Karte mehrerer Quartiere die Stadtansicht."
ONE_QUARTER = "Bitte genau ein Quartier mit --quarter nennen (Kennung oder Name). Vorhanden: {names}."
PATH_BOTH = "--from und --to gehören zusammen: bitte beide Angebote nennen."
BAD_FORMAT = "Format „{fmt}“ gibt es hier nicht. Möglich: {choices}."
WRITTEN = "[green]✓[/green] {what} geschrieben: {path}"
MAP_STATS = "{nodes} Knoten, {edges}, davon {broken} mit Befund; Lücken in Lebensphasen: {gaps}."

# -- web API ----------------------------------------------------------------------------------
SERVE_HELP = """Die Werkstatt (im Browser unter http://127.0.0.1:8000/) und die Web-API starten,
standardmäßig nur auf dieser Maschine (127.0.0.1). Menschen melden sich mit Benutzername und
Passwort an (--users), Programme mit API-Token (--tokens); die Dokumentation der API steht
unter /docs (ohne Internet). Einstellungen auch aus der Umgebung: LOTSE_API_STORE,
LOTSE_API_USERS_FILE, LOTSE_API_TOKENS_FILE, LOTSE_API_SESSION_SECRET,
LOTSE_API_SECURE_COOKIES, LOTSE_API_CORS_ORIGINS, LOTSE_API_AUTH.

[bold]Beispiele:[/bold]

  lotse serve --no-auth          (Einzelplatz: nur diese Maschine, ohne Anmeldung)
  lotse user add k.meier --role coordinator --file benutzer.yaml
  lotse serve --users benutzer.yaml
  lotse token add koordination --role coordinator --file tokens.yaml
  lotse serve --users benutzer.yaml --tokens tokens.yaml
  lotse serve --store neo4j://db.stadt.example:7687 --tokens tokens.yaml --port 8080
"""
TOKEN_HELP = "API-Tokens verwalten (Rollen: reader, editor mit Quartieren, coordinator)."
TOKEN_ADD_HELP = """Ein neues API-Token anlegen. Das Token wird genau einmal angezeigt; in der
Datei steht nur sein Hash. Der Name ist eine Rolle (z. B. quartier-nord), keine Person.

[bold]Beispiele:[/bold]

  lotse token add koordination --role coordinator
  lotse token add quartier-brunnenstrasse --role editor --quarter brunnenstrasse
  lotse token add bezirk-nord --role reader --file /etc/lotse/tokens.yaml
"""
TOKEN_LIST_HELP = "Die angelegten Tokens auflisten (Name, Rolle, Quartiere – nie die Tokens)."
TOKEN_REMOVE_HELP = "Ein Token zurückziehen: es gilt sofort nicht mehr."
TOKENS_FILE_HELP = "Token-Datei (YAML, nur Hashes)."
ROLE_HELP = "Rolle: reader, editor oder coordinator."
TOKEN_QUARTER_HELP = "Quartier, das die Redaktion ändern darf (Kennung); mehrfach angebbar."
USER_HELP = "Benutzer der Werkstatt verwalten (Anmeldung im Browser; Rollen wie bei den Tokens)."
USER_ADD_HELP = """Einen Benutzer der Werkstatt anlegen. Das Passwort wird abgefragt (zweimal, unsichtbar)
oder mit --password-stdin gelesen; in der Datei steht nur sein argon2-Hash. Die Rollen sind
dieselben wie bei den API-Tokens: reader liest, editor ändert die genannten Quartiere,
coordinator darf alles. Mit --store werden die Quartiere gegen die Kette geprüft.

[bold]Beispiele:[/bold]

  lotse user add k.meier --role coordinator
  lotse user add quartier-nord --role editor --quarter brunnenstrasse
  echo "ein langes Passwort" | lotse user add bezirk --role reader --password-stdin
  lotse serve --users benutzer.yaml
"""
USER_LIST_HELP = "Die Benutzer auflisten (Name, Rolle, Quartiere – nie Passwörter)."
USER_REMOVE_HELP = "Einen Benutzer entfernen: seine Sitzung endet mit der nächsten Seite."
USERS_FILE_HELP = "Benutzerdatei der Werkstatt (YAML, nur argon2-Hashes)."
PASSWORD_STDIN_HELP = "Das Passwort aus der Standardeingabe lesen (eine Zeile), für Skripte."
MEASURES_HELP = """Maßnahmen: was das Netzwerk zu Befunden beschlossen hat – mit verantwortlichem
Träger (eine Rolle, keine Person), Termin und Status (offen, in Arbeit, erledigt, verworfen).

[bold]Beispiele:[/bold]

  lotse measures add --title "Übergabeprotokoll erneuern" --finding AGREEMENT_EXPIRED/kita-bornstrasse-grundschule --responsible "TEK Bornstraße 52" --due 2027-03-31
  lotse measures list
  lotse measures status massnahme-1 "in Arbeit"
"""
MEASURES_ADD_HELP = """Eine Maßnahme anlegen.

[bold]Beispiel:[/bold]

  lotse measures add --title "Übergabeprotokoll erneuern" --finding AGREEMENT_EXPIRED/kita-bornstrasse-grundschule --responsible "TEK Bornstraße 52" --due 2027-03-31
"""
MEASURES_LIST_HELP = """Alle Maßnahmen mit Stand am Stichtag: „Befund behoben“, wenn keiner ihrer
Befunde mehr besteht; überfällig, wenn offen oder in Arbeit und der Termin vorbei ist.

[bold]Beispiel:[/bold]

  lotse measures list --as-of 2027-04-01
"""
MEASURES_STATUS_HELP = """Den Status einer Maßnahme setzen: offen, in Arbeit, erledigt, verworfen.

[bold]Beispiel:[/bold]

  lotse measures status massnahme-1 erledigt
"""
MEASURE_TITLE_HELP = "Was getan wird (Titel der Maßnahme)."
MEASURE_RESP_HELP = "Verantwortlicher Träger (Kennung oder Name; eine Rolle, keine Person)."
MEASURE_KEY_HELP = "Schlüssel eines Befunds, um den es geht (mehrfach möglich)."
MEASURE_DUE_HELP = "Termin (JJJJ-MM-TT oder TT.MM.JJJJ)."
MEASURE_NOTE_HELP = "Notiz (ohne personenbezogene Daten)."
MEASURE_ID_HELP = "Kennung der Maßnahme (Standard: massnahme-N)."
MEASURE_STATUS_HELP = "Neuer Status: offen, in Arbeit, erledigt oder verworfen."
MEASURE_ADDED = "Maßnahme {id} angelegt: „{title}“ (Änderung Nr. {seq})."
MEASURE_STATUS_SET = "Maßnahme {id}: Status jetzt „{status}“ (Änderung Nr. {seq})."
MEASURES_TITLE = "Maßnahmen ({n}) – Stand {day:%d.%m.%Y}"
NO_MEASURES = "Noch keine Maßnahmen. Anlegen mit: lotse measures add --help"
MEASURE_RESOLVED = "[green]Befund behoben[/green]"
CHANGES_HELP = """Was hat sich geändert – seit der letzten Sitzung (--since) oder gegenüber
einem anderen Speicher (--against): neue und erledigte Befunde, geänderte Einträge (aus
dem Änderungsprotokoll: wer, wann), Kennzahlen je Quartier vorher und jetzt.

[bold]Beispiele:[/bold]

  lotse changes --since 2026-09-15
  lotse changes --against speicher-september.json
  lotse changes --since 2026-09-15 --json
"""
CHANGES_SINCE_HELP = "Stand an diesem Tag (JJJJ-MM-TT oder TT.MM.JJJJ), z. B. die letzte Sitzung."
CHANGES_AGAINST_HELP = "Ein anderer Speicher (Datei oder neo4j://…) als früherer Stand."
CHANGES_NEED = "Bitte --since DATUM oder --against SPEICHER angeben."
CHANGES_TITLE = "Änderungen vom {since:%d.%m.%Y} bis {day:%d.%m.%Y}"
CHANGES_INCOMPLETE = ("[yellow]Der frühere Stand ist nicht vollständig rekonstruierbar (ein "
                      "Import dazwischen oder ein gekürztes Protokoll): gezeigt wird der Stand "
                      "nach der letzten rückgängig machbaren Änderung.[/yellow]")
CHANGES_NEW = "Neue Befunde ({n})"
CHANGES_RESOLVED = "Erledigte Befunde ({n})"
CHANGES_ENTITIES = "Geänderte Einträge ({n})"
CHANGES_INDICATORS = "Kennzahlen, die sich geändert haben ({n})"
SLIDES_SINCE_HELP = ("Tag der letzten Sitzung (TT.MM.JJJJ): eine Folie „Änderungen seit der "
                     "letzten Sitzung“ mit behobenen und neuen Befunden und Kennzahlen.")

# -- the store file: migrate, backup, backups, restore (issue 19) -----------------------------
MIGRATE_HELP = """Einen alten Speicher (JSON-Datei) in eine SQLite-Datenbank übernehmen.

Netzwerk, Versionen und das ganze Änderungsprotokoll werden übernommen; die alte Datei
bleibt unverändert liegen. Eine vorhandene Zieldatei wird nie überschrieben.

[bold]Beispiel:[/bold]

  lotse migrate lotse-speicher.json lotse-speicher.sqlite
"""
MIGRATE_SOURCE_HELP = "Die alte Speicherdatei (JSON)."
MIGRATE_TARGET_HELP = "Die neue Datenbank (z. B. lotse-speicher.sqlite; darf es noch nicht geben)."
MIGRATED = ("[green]✓[/green] '{name}' aus {source} nach {target} übernommen: {entities} "
            "Einträge, {entries} Änderungen im Protokoll. Die alte Datei bleibt unverändert.")
BACKUP_HELP = """Den Speicher sichern (SQLite: Online-Sicherung, andere dürfen weiterarbeiten).

Ohne DATEI landet die Sicherung im Ordner 'sicherungen' neben dem Speicher. Vor jedem
Import und jeder Wiederherstellung legt lotse selbst eine Sicherung an (die letzten 10
bleiben). Austausch- und Archivformat bleibt 'lotse export kette.yaml'.

[bold]Beispiele:[/bold]

  lotse backup
  lotse backup /media/usb/kette-2026-11.sqlite
"""
BACKUP_TARGET_HELP = "Wohin (Standard: sicherungen/SPEICHER-DATUM-UHRZEIT neben dem Speicher)."
BACKUP_MADE = "[green]✓[/green] Gesichert nach {path} ({size})."
BACKUPS_HELP = """Die Sicherungen des Speichers auflisten: Datei, Datum, Größe, Stand.

[bold]Beispiel:[/bold]  lotse backups
"""
BACKUPS_TITLE = "Sicherungen in {folder}"
NO_BACKUPS = "Keine Sicherungen in {folder}. Eine anlegen: lotse backup"
BACKUPS_RESTORE_HINT = "Zurückholen mit: [bold]lotse restore DATEI[/bold]"
RESTORE_HELP = """Eine Sicherung zurückholen (atomar, als eine Änderung im Verlauf vermerkt).

Der Stand vor dem Zurückholen wird selbst gesichert; das Änderungsprotokoll geht weiter,
nichts davon geht verloren.

[bold]Beispiele:[/bold]

  lotse backups
  lotse restore speicher-20261125-101500.sqlite
"""
RESTORE_SOURCE_HELP = "Die Sicherung (Dateiname aus 'lotse backups' oder ein Pfad)."
RESTORED = ("[green]✓[/green] Sicherung {backup} in {where} zurückgeholt: '{name}', {changed} "
            "Einträge geändert (Änderung Nr. {seq}). Der vorherige Stand liegt unter "
            "'lotse backups'.")
BACKUP_KEPT = "Der vorherige Stand ist gesichert: {path} (zurückholen: lotse restore)."
# -- issue 16: token expiry -----------------------------------------------------------------
TOKEN_EXPIRES_HELP = ("Gültigkeit: Tage ab heute (Standard 365, höchstens 3650) oder ein "
                      "Datum (JJJJ-MM-TT oder TT.MM.JJJJ), bis zu dem das Token gilt.")
# -- merging a file into the store (issue 15) ---------------------------------------------------
MERGE_HELP = ("Nur zusammenführen: Einträge der Datei ändern oder ergänzen, alles andere bleibt "
              "(z. B. das Blatt eines Quartiersnetzwerks in den Speicher der Stadt).")
PRUNE_HELP = ("Mit --merge: entfernen, was die Datei in ihren Quartieren nicht mehr aufführt "
              "(Angebote, Übergänge, Vereinbarungen, Vermittlungszahlen, Standorte; andere "
              "Quartiere bleiben unberührt).")
DRY_RUN_HELP = "Nur anzeigen, was sich ändern würde (neu, geändert, entfernt); nichts speichern."
PRUNE_NEEDS_MERGE = "--prune gilt nur zusammen mit --merge."
REPLACE_SUMMARY = "Der ganze Speicher ('{name}') wird ersetzt: {counts}."
MERGE_NOTHING = "Die Datei bringt nichts Neues: der Speicher bleibt, wie er ist."
MERGE_PREVIEW = "[bold]Probelauf[/bold] – nichts wurde gespeichert. Das würde sich ändern ({counts}):"
MERGE_DONE = ("[green]✓[/green] {path} in den Speicher {where} zusammengeführt ({counts}); "
              "ein Eintrag im Verlauf.")
MERGE_REPLACE_PREVIEW = ("[bold]Probelauf[/bold] – nichts wurde gespeichert. Der Import würde den "
                         "ganzen Speicher ersetzen ({counts}):")
MERGE_CHANGES_SHOWN = "  … und {n} weitere."
IMPORT_MERGE_HELP = """
[bold]Zusammenführen[/bold] (das Blatt eines Quartiersnetzwerks in den Speicher der Stadt):
ein Import ohne --merge ersetzt den ganzen Speicher und sagt vorher, wie viel er
hinzufügt, ändert und entfernt. Mit --merge ändert und ergänzt er nur, was die Datei
enthält; --prune entfernt zusätzlich, was die Quartiere der Datei nicht mehr aufführen;
--dry-run zeigt die Änderungsliste und speichert nichts. Exporte aus dem Speicher
(.xlsx, CSV) tragen je Zeile eine Version: wurde eine Zeile seit dem Export im Speicher
geändert, lehnt --merge ab und nennt die Zeile.

  lotse export hoerde.xlsx --quarter hoerde
  lotse import hoerde.xlsx --merge --dry-run
  lotse import hoerde.xlsx --merge --prune
"""
# issue 15 (HSDS shapes, contact data)
EXPORT_FORMAT_HELP = ("HSDS-Form statt der Endung: hsds (Dokument), hsds-seiten (Seite der "
                      "HSDS-Schnittstelle mit 'contents'), hsds-csv (Ordner mit CSV-Dateien und "
                      "datapackage.json).")
EXPORT_FORMAT_UNKNOWN = "Unbekanntes Format '{shape}': möglich sind {known}."
ICS_EMPTY = ("[yellow]Hinweis:[/yellow] Der Kalender enthält keine Termine – keine Vereinbarung hat "
             "ein Überprüfungs- oder Enddatum. Er ist trotzdem gültig (nur die Zeitzone) und "
             "kann abonniert werden.")


def number(n: int) -> str:
    """A whole number with German thousands dots.

    >>> number(968076), number(12)
    ('968.076', '12')
    """
    return f"{n:,}".replace(",", ".")


# -- issue 17: Kreis, Kooperationsqualität, Datenschutz, Transferbörse ----------------------
AREA_HELP = ("Alle Quartiere eines Gebiets zeigen: Land, Kreis, Kommune oder Stadtbezirk "
             "(Kennung oder Name, z. B. \"Kreis Unna\").")
COMPARE_WITH_HELP = ("Das zweite Quartier aus einer anderen Datei oder einem anderen Speicher "
                     "nehmen (Netzwerk-Datei, Speicherdatei, neo4j://… oder Beispielnetz), "
                     "z. B. die Kette einer Nachbarkommune.")
COMPARE_WITH_TWO = ("Für den Vergleich bitte genau zwei Quartiere nennen: das erste aus diesem "
                    "Speicher, das zweite (mit --with) aus der anderen Datei, z. B. "
                    "'lotse compare selm-mitte luenen-sued --with luenen.json'.")
TRANSFER_LESSONS = "Was dieser Ort weitergeben kann"
TRANSFER_UNEVEN = "Beide haben das Glied, aber nur einer hat es verbindlich abgesichert"
YEARS_HELP = ("Kennzahlen je Jahr als Trendtabelle, z. B. 2024..2026: die Kette, wie sie am "
              "31.12. jedes Jahres stand (im Jahr des Stichtags: am Stichtag).")
YEARS_TITLE = "Kennzahlen je Jahr – {area}"
YEARS_NOTE = ("Stichtag je Jahr: 31.12. (im laufenden Jahr der Stichtag); Angebote und "
              "Vereinbarungen zählen nach Status und Laufzeit, Kinderzahlen aus den "
              "Sozialdaten des Jahres (oder den neuesten davor). Trend: erstes → letztes Jahr.")
# -- issue 17 (rest): Familienwegweiser, Wirkung nach einem Jahr ----------------------------
WEGWEISER_HELP = """Der Familienwegweiser eines Quartiers zum Ausdrucken: die laufenden Angebote
nach dem Alter des Kindes, mit Standort, Öffnungszeiten, Kontakt der Einrichtung und
gesprochenen Sprachen – je Sprache eine HTML- und eine PDF-Datei (A4). Die festen Texte
sind übersetzt (Deutsch, Türkisch, Arabisch; Arabisch von rechts nach links), Namen und
Beschreibungen der Angebote bleiben, wie sie eingetragen sind. Nur Angebote, die am
Stichtag laufen. Für die PDF-Datei wird Chromium gebraucht.

[bold]Beispiele:[/bold]

  lotse wegweiser -q brunnenstrasse --language de,tr,ar
  lotse wegweiser -q brunnenstrasse --language ar --as-of 2027-03-01 --out wegweiser/
"""
WEGWEISER_LANGUAGE_HELP = "Sprachen, durch Komma getrennt: de, tr, ar (auch „Deutsch, Türkisch“)."
WEGWEISER_OUT_HELP = "Ordner für die Dateien (Standard: der aktuelle Ordner)."
WEGWEISER_PDF_HELP = "Auch die PDF-Datei schreiben (braucht Chromium); --no-pdf nur HTML."
WEGWEISER_COUNT = "{offers} laufende Angebote am {day} in {stages} Lebensphasen; {missing} Lebensphasen ohne Angebot."
WIRKUNG_HELP = """Wirkung nach einem Jahr: für eine Maßnahme oder einen neuen Übergang (mit
„besteht seit“) die Vermittlungszahlen und Befunde der betroffenen Quartiere im Jahr davor
und im Jahr danach (oder bis zum Stichtag). Stichtag einer Maßnahme: --seit, sonst ihr
Fälligkeitsdatum. Ohne Kennung: alle Maßnahmen und neuen Übergänge eines Quartiers.

[bold]Beispiele:[/bold]

  lotse wirkung uebergabe-kita-schule
  lotse wirkung willkommensbesuch-kinderstube --as-of 2026-11-22
  lotse wirkung --quarter brunnenstrasse
  lotse wirkung m1 --seit 2025-06-01 --json
"""
WIRKUNG_SINCE_HELP = "Seit wann die Maßnahme wirkt (Standard: ihr Fälligkeitsdatum; beim Übergang: besteht seit)."
WIRKUNG_NONE = "Im Quartier {quarter} gibt es keine Maßnahme mit Fälligkeitsdatum und keinen Übergang mit „besteht seit“ bis zum {day}."
WIRKUNG_WHAT = "Bitte eine Maßnahme oder einen Übergang nennen (Kennung) oder ein Quartier mit --quarter."

# -- issue 25: one entry, undo -------------------------------------------------------------
ENTRY_HELP = """Einen einzelnen Eintrag der Kette zeigen, anlegen, ändern oder löschen – für
Skripte (Menschen nehmen die Werkstatt). Jede Änderung wird wie überall geprüft, steht im
Verlauf und sagt, welche Befunde behoben oder neu sind."""
ENTRY_SECTION_HELP = ("Bereich: Angebote, Träger, Übergänge, Vereinbarungen, Standorte, Quartiere, "
                      "Kommunen, Stadtbezirke, Vermittlungszahlen, Maßnahmen (auch services, "
                      "transitions, …).")
ENTRY_KEY_HELP = "Kennung des Eintrags (Vermittlungszahlen: übergang@periodenbeginn)."
ENTRY_FILE_HELP = "YAML- oder JSON-Datei mit genau einem Eintrag (Feld: Wert); - liest von der Standardeingabe."
ENTRY_VERSION_HELP = ("Version, auf der die Änderung beruht (aus 'lotse entry show'); ist sie "
                      "veraltet, wird nichts geändert. Ohne: der gespeicherte Stand.")
ENTRY_SHOW_HELP = """Einen Eintrag mit seiner Version als YAML zeigen.

[bold]Beispiel:[/bold] lotse entry show Angebote kita-bornstrasse > kita.yaml"""
ENTRY_PUT_HELP = """Einen Eintrag anlegen oder ersetzen (die Kennung steht in der Datei).

[bold]Beispiele:[/bold]
  lotse entry put Angebote kita.yaml --version 3
  lotse entry show Übergänge kita-grundschule | sed 's/owner: .*/owner: awo/' | lotse entry put Übergänge -"""
ENTRY_DELETE_HELP = """Einen Eintrag löschen; solange andere darauf verweisen, wird nichts gelöscht und
die Meldung nennt sie.

[bold]Beispiel:[/bold] lotse entry delete Angebote lesepaten --version 2"""
ENTRY_DONE = "[green]✓[/green] {kind} '{key}' {what} (Änderung Nr. {seq}, jetzt Version {version})."
UNDO_HELP = """Eine Änderung aus dem Verlauf rückgängig machen: eine neue Änderung stellt den
Eintrag wieder her, wie er davor war (ein gelöschter kommt zurück). Geht nur, solange
niemand den Eintrag seitdem geändert hat; ein ganzer Import wird mit 'lotse restore'
rückgängig gemacht.

[bold]Beispiel:[/bold] lotse undo 42"""
UNDO_SEQ_HELP = "Nummer der Änderung (Spalte „Nr.“ im Verlauf)."
UNDONE = "[green]✓[/green] Änderung Nr. {seq} rückgängig gemacht: {kind} '{key}' (neue Änderung Nr. {new})."
