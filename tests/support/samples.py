"""Short articles written for these tests (invented events), each reported by two outlets."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.ports import FeedEntry

BRIDGE_A = """The old swing bridge over the Esker River in Lindmoor was closed on Monday after \
engineers found cracks in two of its steel girders. The city's transport director, Hanna Vogt, \
said the bridge would stay shut to cars and trucks until a full inspection is finished in March. \
Buses between the harbour district and the railway station are being diverted through the \
northern ring road, adding about twenty minutes to each trip. Cyclists and pedestrians may still \
cross on the eastern walkway. The bridge carries about 30,000 vehicles a day and was last \
repaired in 2009. Vogt said a temporary pontoon crossing was being considered."""

BRIDGE_B = """Lindmoor has shut its Esker River swing bridge to traffic after inspectors \
discovered cracked steel girders, transport director Hanna Vogt announced on Monday. The \
crossing, used by some 30,000 vehicles daily, will remain closed to motor traffic until the \
inspection ends in March, Vogt said. City buses now detour over the northern ring road, and \
commuters reported delays of twenty minutes or more. The eastern walkway remains open to \
pedestrians and cyclists. Engineers last repaired the girders in 2009, and a pontoon crossing \
may be built while the bridge is closed."""

CHOIR_A = """The Halden Youth Choir won the grand prize at the Nordvik choral festival on \
Saturday, beating twenty-four choirs from eleven countries. Conductor Ruth Amsel said the \
singers had rehearsed every evening for three months. The choir performed a new piece by the \
composer Jonas Feld, written for the festival. The prize includes a concert tour next summer \
and a recording session in the festival's studio. The choir was founded in 1994 by local \
teachers and now has sixty members aged twelve to nineteen."""

CHOIR_B = """A youth choir from Halden took the top prize at the Nordvik choral festival this \
weekend, ahead of twenty-four choirs from eleven countries. Under conductor Ruth Amsel, the \
sixty singers performed a new work by Jonas Feld that was written for the festival. Amsel said \
the choir had rehearsed every evening for three months before the competition. The win brings \
a concert tour next summer and studio recording time. The choir, founded by teachers in 1994, \
takes members aged twelve to nineteen."""

MARKET_A = """Wholesale coffee prices fell for a third straight week as harvests in the \
highlands of Sorel came in larger than traders had expected. The Sorel Coffee Board said \
exports in January were up by a fifth on the year before. Roasters said the lower prices \
would take months to reach shop shelves. Analysts at the trading house Brandt and Kade said \
prices could fall further if the rains continue through February. Growers' groups warned that \
small farms were already selling below cost and asked for a minimum price."""


def entry(
    slug: str,
    text: str,
    published: datetime,
    *,
    host: str = "lindmoor-post.example",
    title: str | None = None,
) -> FeedEntry:
    """A feed item carrying the full article text (so no page fetch is needed)."""
    return FeedEntry(
        url=f"https://{host}/{slug}",
        title=title or slug.replace("-", " ").capitalize(),
        guid=f"{host}/{slug}",
        published=published,
        content=text,
    )


def later(moment: datetime, hours: float) -> datetime:
    """`hours` after `moment`."""
    return moment + timedelta(hours=hours)


# One event told by two outlets in their own words and framing (sharing names, not sentences).
FERRY_A = """Coast guard crews pulled 41 passengers from the sea off Varna Point early on \
Thursday after the ferry Saint Orla struck rocks in heavy fog and began to list. Captain Milo \
Brenner ordered the ship abandoned minutes after the impact, according to the Halcyon Lines \
operator. Two passengers remain missing and a search by helicopters from Tarsk air base went on \
through the afternoon. Survivors described a sudden jolt, then water on the car deck."""

FERRY_B = """Questions mounted over safety at Halcyon Lines on Thursday, hours after its ferry, \
the Saint Orla, ran aground near Varna Point. The company has now lost two vessels in four \
years. Its chief executive, Petra Lund, said captain Milo Brenner had acted correctly in a fog \
bank the forecasters had not predicted. Rescuers from Tarsk saved dozens of people from the \
cold water; two are still unaccounted for. Unions said the crew had warned about the radar."""

# Two different earthquakes on the same day: the same kind of event, told in the same words.
QUAKE_NORTH = """A magnitude 6.2 earthquake struck the mountain province of Kessar on Tuesday, \
collapsing homes in the town of Orvell and killing at least nine people, officials said. \
Governor Anja Fells said rescue teams were searching the rubble for survivors. The quake's \
epicentre lay 12 kilometres beneath the Dunmere valley. Aftershocks shook the region for hours \
and roads to Orvell were blocked by landslides."""

QUAKE_SOUTH = """A magnitude 5.9 earthquake hit the coastal region of Salvet on Tuesday, \
damaging buildings in the port city of Caldra and killing at least four people, officials said. \
Mayor Tomas Reyl said rescue teams were searching collapsed houses for survivors. The quake's \
epicentre lay offshore, 30 kilometres west of Caldra. Aftershocks rattled the coast through the \
night and the harbour was closed."""

# One outlet's jobless figures on two successive weeks: the next event, told in the same words.
WEEKLY_CLAIMS_A = """Applications for unemployment benefits in Norland fell to 212,000 last week, \
the labour office said on Thursday, the lowest level since the spring. Economists had expected \
220,000 claims. The four-week average also eased, and continuing claims dropped to 1.8 million, \
a sign that employers in Norland are holding on to staff as factory orders recover."""

WEEKLY_CLAIMS_B = """Jobless claims in Norland rose to 231,000 in the week to Saturday, the \
first increase in a month, labour office figures showed. Analysts had forecast 215,000. \
Retailers and builders led the rise in layoffs, and the number of people drawing benefits for \
longer climbed to 1.9 million as hiring slowed after a weak month for exports."""

# Two emergency fixes of one browser, years apart, told in many of the same words and names.
PATCH_EARLY = """Corvel Systems released an emergency fix for its Lumo web browser on March 3, \
2019, two days after attackers began exploiting a flaw that lets a booby-trapped page take over a \
computer. The company urged all Lumo users to install the update at once. The flaw affects every \
version of the browser, Corvel said, and was found by researchers at the security firm Halvard \
Labs. Corvel normally ships fixes once a month but said the attacks could not wait."""

PATCH_LATER = """Corvel Systems released an emergency fix for its Lumo web browser on October 19, \
2023, after criminals used a hole in its password manager to steal saved logins from banks' \
customers. Only the newest edition is exposed, the company said, crediting Halvard Labs with \
the discovery. Police in three countries are investigating the thefts, and two banks have \
frozen accounts while they check which customers were hit."""

# Another outlet on the first fix, with no date written out ("on Tuesday").
PATCH_EARLY_B = """Corvel Systems rushed out an emergency fix for the Lumo web browser on Tuesday \
after attackers exploited a flaw that lets a booby-trapped page take over a computer. Lumo users \
were told to install the update at once. Every version of the browser is affected, according to \
Corvel, and researchers at the security firm Halvard Labs found the bug. The company broke from \
its monthly fixes because the attacks could not wait."""
