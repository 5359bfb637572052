"""The Lake Khasan record the report sets the simulation against (written for this package).

Paraphrased from the project's fact sheet on the Khasan conflict (sections 2, 4 and 6), which
cites the public sources listed in ``SOURCES``: historical control checkpoints, recorded losses
with the range the sources span, and the popular article's claims with their verdicts.
"""

from __future__ import annotations

from kriegsspiel.report.data import Checkpoint, Claim, ControlCheck, LossCheck

#: Scenario names this record applies to.
SCENARIOS: tuple[str, ...] = ("khasan-1938", "khasan-1938-article")

_CRESTS = ("zaozernaya-south", "zaozernaya-north", "bezymyannaya")

SOURCES: dict[str, str] = {
    "S1": "Battle of Lake Khasan, English Wikipedia.",
    "S2": "Battle of Lake Khasan - Events (liquisearch copy of older English Wikipedia text).",
    "S3": "Battle of Lake Khasan (wikisum).",
    "S5": "張鼓峰事件 (Japanese Wikipedia copy).",
    "S6": "張鼓峰事件 (Japanese Wikipedia, 2007 snapshot).",
    "S7": "張鼓峰事件 (Japanese Wikipedia text; T-26: 85 disabled, 9 burned, 37 evacuated, 39 "
    "repaired).",
    "S8": "張鼓峰事件 (Chinese Wikipedia copy).",
    "S10": "Wang Fu, The Zhanggufeng incident (from The Japanese war of aggression on China "
    "1931-1945).",
    "S11a": "Kasahara K., The Soviet-Japanese border conflict at Lake Khasan 1938 in Japanese "
    "archives (SPbU dissertation, 2021): 29 July.",
    "S11b": "Kasahara K. (2021): 31 July.",
    "S12": "Kasahara K., The battles at Lake Khasan: numbers and kinds of Japanese and Soviet "
    "losses (Libartrus, 2017).",
    "S14": "Ezhakov V., Heroes of Khasan (Soviet account).",
    "S15": "voenhronika.ru, The fighting at Lake Khasan in 1938 (2020).",
    "S16": "Khasan, toponym. Soviet Historical Encyclopedia.",
    "S17": "All the tanks of the USSR, vol. I (T-26 at Khasan).",
    "S20": "Rossiyskaya Gazeta, 16 Dec 2019: four tanks found at Lake Khasan (marsh: 3-4 km/h).",
    "S22": "TB-3 monograph excerpt (60 TB-3 in the first wave of 6 August).",
    "S27": "Moshchansky I., Information war (tank approach along the marshy isthmus).",
    "S28": "Voronkova I., Military conflicts in the Far East and Belarus 1921-1941.",
    "S30": "Shishov A., Russia and Japan: a history of military conflicts.",
    "S31": "Krivosheev G. F. (ed.), Grif sekretnosti snyat (1993), as quoted in a book excerpt.",
    "S33": "Order of the People's Commissar of Defence No. 0040, 4 September 1938.",
    "S35": "Conquest R., The Great Terror.",
    "S41": "Pravda, 22 July 1938 (Shigemitsu's statement of 20 July), reprinted.",
    "S43": "Conflict on Lake Khasan - rehearsal before Khalkhin Gol (the popular article checked).",
    "S44": "The Soviet Volunteer Group in action (Pacific Eagles).",
    "S45b": "The sinking of the Yamato Maru (bashny.net; lemur59.ru).",
    "S47": "Yamato (ship), Bulgarian Wikipedia.",
    "S48": "Genrikh Lyushkov, English Wikipedia.",
    "S49": "Southland Times, 11 Aug 1938 (contemporary Japanese claims).",
    "S56": "Moshchansky I., The battles at Khalkhin Gol, 11 May - 16 September 1939.",
    "S57b": "Kotelnikov, It happened at Khasan (alternathistory.ru; the 15 July shooting).",
    "S60": "Record of the Litvinov-Shigemitsu conversation, 13 August 1938 (Japanese troops on "
    "the northern part of Zaozernaya after the truce).",
    "S62c": "Air fighters (memoir; 250-1,000 kg bombs loaded on 6 August).",
    "S62e": "Stoy! Propusk (border-guard history; Lt. Vinevitin).",
}

CHECKPOINTS: tuple[Checkpoint, ...] = (
    *(
        Checkpoint("1938-07-31T08:00", obj, "japanese", "31 Jul 08:00: Japanese hold", "S11b")
        for obj in _CRESTS
    ),
    *(
        Checkpoint("1938-08-03T00:00", obj, "japanese", "end of 2 Aug: Japanese hold", "S28")
        for obj in ("zaozernaya-south", "zaozernaya-north")
    ),
    Checkpoint(
        "1938-08-06T12:00", "zaozernaya-north", "japanese", "6 Aug: N crest Japanese", "S28"
    ),
    Checkpoint("1938-08-06T12:00", "bezymyannaya", "japanese", "6 Aug: crest Japanese", "S28"),
    # the 6 August offensive took only the southern crest: the Japanese kept the northern crest
    # and Bezymyannaya, and left the last heights only under the truce (13-15 August)
    *(
        Checkpoint("1938-08-07T06:00", obj, "japanese", "7 Aug: still Japanese", "S28")
        for obj in ("zaozernaya-north", "bezymyannaya")
    ),
    Checkpoint("1938-08-11T12:00", "zaozernaya-south", "soviet", "ceasefire: Soviet hold", "S28"),
    Checkpoint(
        "1938-08-11T12:00", "zaozernaya-north", "japanese", "ceasefire: N crest Japanese", "S60"
    ),
)

#: (side, metric) -> (recorded, low, high, sources) of the record.
RECORDED_LOSSES: dict[tuple[str, str], tuple[float, float, float, str]] = {
    ("soviet", "killed_missing"): (792.0, 792.0, 960.0, "S31 (717 killed + 75 missing); S5 (960)"),
    ("soviet", "wounded"): (2752.0, 2752.0, 2807.0, "S31 (2,752); S30 (Order 0040: 2,807)"),
    ("soviet", "tanks_disabled"): (85.0, 85.0, 96.0, "S7 (85 T-26); S1 (96, Japanese estimate)"),
    ("soviet", "tanks_destroyed"): (9.0, 9.0, 46.0, "S7 (9 burned); S1 (46+, Soviet data)"),
    ("soviet", "aircraft_lost"): (4.0, 4.0, 7.0, "S8 (4); S49 (5-7, Japanese claim)"),
    ("japanese", "killed_missing"): (526.0, 525.0, 526.0, "S6, S8 (526); S5 (525)"),
    ("japanese", "killed"): (526.0, 525.0, 526.0, "S6, S8 (526); S5 (525)"),
    ("japanese", "wounded"): (914.0, 913.0, 914.0, "S6, S8 (914); S5, S1 (913)"),
}

CLAIMS: tuple[Claim, ...] = (
    Claim(
        "a",
        "From January 1938 Soviet specialists fought for China; equipment came via Hong "
        "Kong and Shanghai.",
        "Distorted",
        "Soviet volunteer pilots fought from 21 Nov 1937; aircraft came overland and by air; "
        "Shanghai had fallen in Nov 1937.",
        ("S44",),
        None,
    ),
    Claim(
        "b",
        "By July 1938 Soviet and Chinese pilots had destroyed dozens of Japanese aircraft.",
        "Broadly true (claims)",
        "Raids on Nanjing (25 Jan) and Taiwan (23 Feb, 40 aircraft claimed) and air battles "
        "over Wuhan: claims, not audited losses.",
        ("S44",),
        None,
    ),
    Claim(
        "c",
        "In March 1938 they sank the aircraft carrier Yamato.",
        "False",
        "No carrier Yamato existed (the battleship was launched in 1940); the story is the "
        "transport Yamato Maru, dated 10 Aug 1938.",
        ("S47", "S45b"),
        None,
    ),
    Claim(
        "d",
        "13 June: Lyushkov, NKVD plenipotentiary for the Far East, defected.",
        "True (title imprecise)",
        "Head of the NKVD for the Far Eastern Krai; crossed into Manchukuo on 13 June 1938.",
        ("S48",),
        None,
    ),
    Claim(
        "e",
        "12 July: a small border-guard detachment occupied the heights and dug in.",
        "Distorted (date)",
        "Occupation ordered 8 July, trenches and wire from the night of 8-9 July.",
        ("S3", "S10"),
        None,
    ),
    Claim(
        "f",
        "15 July: a Soviet officer shot a Japanese gendarme.",
        "Essentially true",
        "Lt. Vinevitin shot a Japanese intruder on the slope of Zaozernaya at about 17:00.",
        ("S57b", "S62e"),
        None,
    ),
    Claim(
        "g",
        "20 July: the Japanese ambassador delivered an ultimatum to Litvinov.",
        'Mostly true, "ultimatum" overstated',
        "Shigemitsu demanded withdrawal on 20 July with no formal deadline.",
        ("S41", "S2"),
        None,
    ),
    Claim(
        "h",
        "29 July: a Japanese company attacked 11 border guards; 4 killed; a platoon came "
        "to help; attack repelled.",
        "Partly true",
        "11 guards is right; relief was a rifle company plus border guards; about 5 dead; the "
        "Japanese say they withdrew at 16:30.",
        ("S14", "S15", "S16", "S11a"),
        ControlCheck(("bezymyannaya",), "1938-07-29T20:00", "soviet"),
    ),
    Claim(
        "i",
        "Then the Japanese used artillery and two regiments took the hills.",
        "Distorted",
        "Two battalions (1/75th and 1/76th IR) with artillery took Zaozernaya (05:15) and "
        "Bezymyannaya (06:00) on 31 July.",
        ("S11b", "S16"),
        ControlCheck(_CRESTS, "1938-07-31T08:00", "japanese"),
    ),
    Claim(
        "j",
        "TB-3 heavy bombers dropped over 120 t of bombs.",
        "Unverified / distorted",
        "60 TB-3 in the first wave of 6 Aug among about 250 aircraft; no source confirms 120 t; "
        "bombing caused relatively few Japanese casualties.",
        ("S22", "S62c", "S12"),
        LossCheck("japanese", "killed_missing"),
    ),
    Claim(
        "k",
        "BT-5 and BT-7 were not very effective on swampy ground; the enemy had no tanks.",
        "Half true",
        "Japan used no tanks; the marsh slowed tanks to 3-4 km/h; but the main tank was the "
        "T-26, 85 of which were disabled, mostly by anti-tank guns and artillery.",
        ("S17", "S20", "S7", "S27"),
        LossCheck("soviet", "tanks_disabled"),
    ),
    Claim(
        "l",
        "On 6 August the conflict ended in complete Red Army victory.",
        "False",
        "6 Aug began the general offensive; the Japanese still held the N crest of Zaozernaya "
        "and Bezymyannaya; fighting went on to the 11 Aug ceasefire.",
        ("S28", "S1"),
        ControlCheck(_CRESTS, "1938-08-06T12:00", "soviet"),
    ),
    Claim(
        "m",
        "Stalin drew conclusions about Blücher's weak organisation.",
        "Euphemistic",
        "Order 0040 of 4 Sept 1938 blamed Blücher; he was arrested on 22 Oct and died under "
        "interrogation on 9 Nov 1938.",
        ("S33", "S35"),
        None,
    ),
    Claim(
        "n",
        "The Japanese blamed defeat only on Soviet numbers; next came Khalkhin Gol.",
        "False / true",
        "Japanese lessons cite Soviet artillery, their lack of aircraft and their own supply "
        "faults; Khalkhin Gol followed in 1939.",
        ("S12", "S56"),
        None,
    ),
)


def applies_to(scenario_name: str) -> bool:
    """Whether the Khasan record belongs in a report on ``scenario_name``."""
    return scenario_name in SCENARIOS
