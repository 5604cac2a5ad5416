"""German texts of the analysis (messages and next steps), in one place."""

from __future__ import annotations

from graph import vocabulary

IN_QUARTER = "Im Quartier {quarter}: "
IN_QUARTERS = "In den Quartieren {quarters}: "
STAGE_GAP = "Im Quartier {quarter} gibt es kein laufendes Angebot für die Lebensphase „{stage}“."
STAGE_GAP_NEXT = ("Ein Angebot für „{stage}“ schaffen oder ein Angebot aus dem Nachbarquartier "
                  "mit einer Vereinbarung einbinden.")
CHAIN_BREAK = ("Im Quartier {quarter} führt kein Weg von „{a}“ nach „{b}“: kein Angebot der einen "
               "Phase übergibt an ein Angebot der nächsten.")
CHAIN_BREAK_NEXT = ("Einen verbindlichen Übergang von „{a}“ nach „{b}“ vereinbaren und einem "
                    "Träger die Verantwortung geben.")
PEARL = "{service} ist eine Bildungsperle: kein Übergang führt hinein oder hinaus."
PEARL_NEXT = ("Übergänge zu den Angeboten davor und danach festlegen, mit Verantwortlichem und "
              "Vereinbarung.")
DEAD_END = "Von {service} führt kein Übergang in eine spätere Lebensphase: Familien enden hier."
DEAD_END_NEXT = "Einen Übergang zum nächsten passenden Angebot vereinbaren."
UNREACHABLE = ("{service} ist von den Einstiegsangeboten (Schwangerschaft, Geburt) aus über keinen "
               "Übergang erreichbar.")
UNREACHABLE_NEXT = "Einen Übergang von einem früheren Angebot hierher vereinbaren."
CHAIN_BREAK_OVER_GAP = (" Die Lebensphasen dazwischen ({stages}) haben kein Angebot; das "
                        "entschuldigt den fehlenden Weg nicht.")
SINGLE_POINT = ("Hinweis für die Planung: im Quartier {quarter} ruht die Kette an diesen Stellen "
                "auf einem einzigen Angebot oder Träger – fällt es weg, ist die Phase leer oder "
                "der Weg unterbrochen. {parts} In einer kleinen Kommune mit einem "
                "Familienzentrum je Phase ist das üblich.")
SP_STAGES = "Lebensphasen: {items}."
SP_LINKS = "Wege: {items}."
SP_STAGE = "„{stage}“ allein an {what}"
SP_STAGE_PROVIDER = "„{stage}“ allein am Träger „{provider}“ ({services})"
SP_LINK = "„{a}“ → „{b}“ allein an {what}"
SINGLE_POINT_NEXT = ("Bei der Planung im Blick behalten; wo es sich anbietet, eine zweite Stütze "
                     "aufbauen (ein weiteres Angebot oder einen zweiten Übergangsweg).")
LANGUAGE_NOT_COVERED = ("Im Quartier {quarter} ist {language} eine Hauptsprache der Familien "
                        "(Sozialdaten {year}), aber kein laufendes Angebot dieser Lebensphasen "
                        "spricht sie, und keine Übergabe dorthin bringt Sprachmittlung mit: "
                        "{stages}.")
LANGUAGE_NOT_COVERED_NEXT = ("Ein Angebot mit {language} gewinnen, Sprachmittlung bei der "
                             "Übergabe vereinbaren oder eine Sprachbrücke (z. B. Stadtteilmütter) "
                             "einbinden.")
ANCHOR_LABELS = {
    "primary_school": "Grundschule",
    "kita": "Tageseinrichtung für Kinder (Kita)",
    "family_office": "Familienbüro",
    "youth_welfare_service": "Jugendhilfedienst",
}
ANCHOR_MISSING = "Im Quartier {quarter} fehlt der Ankerstandort {anchor} im Netzwerk."
ANCHOR_MISSING_NEXT = "{anchor} als Ankerstandort in die Steuerungsgruppe einbinden (INFamilie 3.13)."
REDUNDANT = ("{services} bieten Ähnliches für „{group}“ in der Lebensphase „{stage}“ an, ohne "
             "sich abzustimmen (kein Übergang, keine gemeinsame Vereinbarung).")
REDUNDANT_NEXT = ("Angebote abstimmen oder zusammenlegen: Doppelstrukturen vermeiden "
                  "(INFamilie 3.16).")
CAPACITY_GAP = ("Im Quartier {quarter} {what} in „{stage}“ nicht: {supply} "
                "({source}); das deckt {share} des Bedarfs. Angebote mit Kapazität: {services}.")
CAPACITY_WHAT = {False: "reichen die Plätze", True: "reichen die Aufnahmen"}
CAPACITY_WHAT_MIXED = "reichen Plätze und Aufnahmen"
CAPACITY_PLACES = "{n} Plätze gleichzeitig für {demand} Kinder in der Phase"
CAPACITY_STARTS = "{n} Aufnahmen im Jahr für {demand} Kinder, die jährlich in die Phase kommen"
CAPACITY_COUNTED = "Sozialdaten {year}"
CAPACITY_DERIVED = ("Sozialdaten {year} ohne Kinderzahl dieser Phase: geschätzt aus {births} "
                    "Geburten im Jahr, anteilig nach Monaten der Phase")
CAPACITY_UNKNOWN = " {n} weitere Angebote nennen keine Kapazität."
CAPACITY_GAP_NEXT = "Kapazität ausbauen oder ein weiteres Angebot einbinden."

NO_AGREEMENT = "Der Übergang {transition} ist durch keine Vereinbarung abgesichert."
NOT_STARTED = ("Die Vereinbarungen des Übergangs {transition} gelten noch nicht "
               "({agreements}).")
NO_AGREEMENT_NEXT = "Eine verbindliche Vereinbarung der beteiligten Träger abschließen."
INFORMATION_ONLY = (" Der Übergang gibt nur Informationen weiter; eine verbindliche Vereinbarung "
                    "ist dafür nicht nötig, eine schriftliche Absprache genügt.")
INFORMATION_ONLY_NEXT = ("Eine schriftliche Absprache der beiden Einrichtungen festhalten: wer "
                         "welche Informationen weitergibt (eine verbindliche Vereinbarung ist "
                         "nicht nötig).")
INFORMAL_ONLY = "Der Übergang {transition} beruht nur auf einer informellen Absprache ({agreements})."
INFORMAL_ONLY_NEXT = "Die Absprache in eine verbindliche, unterschriebene Vereinbarung überführen."
EXPIRED = "Die Vereinbarung für den Übergang {transition} ist abgelaufen: {agreements}."
EXPIRED_NEXT = "Die Vereinbarung erneuern und neu unterschreiben."
EXPIRING = ("Die Vereinbarung für den Übergang {transition} läuft in {days} Tagen aus: "
            "{agreements}.")
EXPIRING_NEXT = "Die Verlängerung rechtzeitig in der Steuerungsgruppe vorbereiten."
NO_OWNER = "Für den Übergang {transition} ist niemand verantwortlich."
NO_OWNER_NEXT = "Einen Träger als Verantwortlichen für den Übergang festlegen."
OWNER_NOT_PARTY = ("„{owner}“ ist für den Übergang {transition} verantwortlich, hat aber die "
                   "Vereinbarung nicht unterschrieben ({agreements}).")
OWNER_NOT_PARTY_NEXT = "Den verantwortlichen Träger als Partner in die Vereinbarung aufnehmen."
PERSON_DEPENDENT = ("Der Übergang {transition} hängt an einer einzelnen Person, nicht an einer "
                    "Vereinbarung der Einrichtungen.")
PERSON_DEPENDENT_NEXT = ("Den Ablauf personenunabhängig festschreiben, damit er auch bei "
                         "Personalwechsel trägt.")
TARGET_INACTIVE = "Der Übergang {transition} führt zu einem Angebot, das am {day} nicht läuft ({state})."
TARGET_INACTIVE_NEXT = "Den Übergang auf ein laufendes Angebot umlenken oder das Angebot wieder aufnehmen."
LANGUAGE_BREAK = ("Beim Übergang {transition} verlieren Familien ihre Sprache: {source} spricht "
                  "{languages}, das Ziel nicht.")
LANGUAGE_BREAK_NEXT = "Sprachmittlung für die Übergabe vereinbaren oder ein mehrsprachiges Ziel einbinden."
HANDOFF_LOSS = ("Beim Übergang {transition} kamen {start}–{end} nur {arrived} von {referred} "
                "vermittelten Familien an ({loss} verloren).")
HANDOFF_LOSS_NEXT = "Die Übergabe begleiten (warme Übergabe) und nachhalten, wer ankommt."

STATE_LABELS = {"planned": "geplant", "paused": "pausiert", "ended": "beendet", "active": "aktiv"}

NAV_NO_LANGUAGE = ("Kein passendes Angebot wird auf {language} angeboten: für die Übergabe "
                   "Sprachmittlung einplanen.")
NAV_NOTHING = ("Die Kette im Quartier {quarter} hat keine Antwort für eine Familie mit einem "
               "Kind {age} (Lebensphase: {stages}; Sprache: {language}; Bedarf: "
               "{needs}): kein laufendes Angebot passt.")
NAV_NO_PATH = ("Im Quartier {quarter} gibt es passende Angebote für ein Kind {age} "
               "(Sprache: {language}; Bedarf: {needs}), aber kein organisierter Übergang führt "
               "dorthin: die Familie müsste selbst hinfinden.")
NAV_NEXT = "Die Lücke in der Steuerungsgruppe ansprechen: Angebot oder Übergang schaffen."

LANGUAGE_NAMES = vocabulary.LANGUAGE_NAMES  # the one list, in graph (inputs read it too)
NAV_NO_CURRENT = ("Für die aktuelle Lebensphase ({stages}) gibt es kein passendes laufendes "
                  "Angebot; genannt sind nur Angebote der nächsten Phase.")

MEASURE_OVERDUE = ("Die Maßnahme „{title}“ (verantwortlich: {provider}) war bis {due} fällig und "
                   "ist {status}.")
MEASURE_OVERDUE_NEXT = ("In der Steuerungsgruppe klären: erledigen, neuen Termin setzen oder "
                        "verwerfen.")

# issue 17: cooperation quality and data protection per hand-over
COOPERATION_FALLING = ("Die Kooperationsqualität beim Übergang {transition} ist gesunken: "
                       "von {before} auf {now}.")
COOPERATION_FALLING_NEXT = ("Einen Qualitätsdialog der beiden Einrichtungen verabreden: Was "
                            "wissen sie voneinander, was ist verbindlich, wie oft tauschen "
                            "sie sich aus?")
WITHOUT_BASIS = ("Beim Übergang {transition} werden {what} weitergegeben, ohne dass eine "
                 "Grundlage angegeben ist (Einwilligung, Schweigepflichtentbindung, § 4 KKG, "
                 "§ 8a SGB VIII).")
WITHOUT_BASIS_NEXT = ("Die Grundlage klären und eintragen, z. B. eine schriftliche "
                      "Einwilligung der Eltern; bis dahin nur mit Einwilligung weitergeben.")
