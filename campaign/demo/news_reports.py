"""The people of the three news reports (seeds 002, 003 and 004): the officials or offices the articles name,
asks drawn from what the articles report, and a story condensed from the article's own words."""

from __future__ import annotations

from campaign.cases.models import CaseStatus
from campaign.demo.officials import DARKHAN_DILMANOV, GU_MING, NILKA_COUNTY, ZHANG_XIAO
from campaign.demo.records import CaseData, Closure, Extension, PersonData

ADILGAZY_MUQAI = CaseData(
    slug="adilgazy-muqai",
    seed="002_a9a780f8c189dde3.txt",
    headline="Retired oil worker jailed for nine years after a visit to Xinjiang",
    summary=(
        "Adilgazy Muqai, who lived in Kazakhstan, disappeared on a visit to Xinjiang in 2017; three years "
        "later China’s ambassador said he had been sentenced to nine years for “extremism”."
    ),
    people=(PersonData("Adilgazy Muqai"),),
    story="""\
**Adilgazy Muqai**, a 47-year-old retired oil worker and ethnic Kazakh, vanished during a 2017 visit to
Xinjiang, northwestern China. He had the right of residence in Kazakhstan, where he had moved with his wife,
Bikamal Kaken, after hearing reports that Xinjiang authorities were forcing women from minority groups to have
abortions; she was pregnant with their youngest child at the time.

In May 2017 he was lured back to his native region by his former employers: the company pension his family
lived on could be cancelled if he failed to attend a meeting, they said. His wife heard that he had fallen
victim to the network of detention facilities in Xinjiang. Three agonising years later, the news came from
China’s Ambassador to Kazakhstan, Zhang Xiao, who told a state-owned news outlet that Adilgazy Muqai had been
sentenced to nine years in prison on extremism charges, and dismissed his wife’s account as “full of lies”.

Bikamal Kaken sews clothes and accepts charity to pay for a studio apartment in Uzynagash, about 60km from
Almaty, where she is raising their two young daughters. She insists her husband is innocent: “His only crime
is his Kazakh identity.”

*Source: Caravanserai and AFP.*
""",
    asks=(
        "Disclose where Adilgazy Muqai is held, the charges against him and the court’s judgment",
        "Allow him regular contact with his family and access to a lawyer of his choice, and ensure he is not "
        "subjected to torture and other ill-treatment",
        "Release him, unless there is sufficient, credible and admissible evidence that he committed an "
        "internationally recognized offence and he is granted a fair trial in line with international standards",
    ),
    letter="""\
I am writing to express my concern for Adilgazy Muqai, an ethnic Kazakh and retired oil worker who had the right of residence in Kazakhstan, where his wife and children live.

In May 2017 Adilgazy Muqai travelled back to Xinjiang after his former employers said that the company pension his family lived on could be cancelled if he failed to attend a meeting. He did not return. Three years later his family learned from an interview given by China’s Ambassador to Kazakhstan that he had been sentenced to nine years in prison on extremism charges. His wife insists that he is innocent.

I urge you to:

- Disclose where Adilgazy Muqai is held, the charges against him and the court’s judgment;
- Allow him regular contact with his family and access to a lawyer of his choice, and ensure he is not subjected to torture and other ill-treatment;
- Release him, unless there is sufficient, credible and admissible evidence that he committed an internationally recognized offence and he is granted a fair trial in line with international standards.

Yours sincerely,
""",
    targets=(ZHANG_XIAO,),
    status=CaseStatus.CLOSED,
    issued_days_ago=58,
    deadline_in_days=-12,
    closure=Closure(
        outcome="sentenced",
        days_ago=8,
        text=(
            "Closed: China’s Ambassador to Kazakhstan stated that Adilgazy Muqai was sentenced to nine years "
            "in prison on extremism charges."
        ),
    ),
    report_count=55,
)

BAIMURAT_NAURYZBEK = CaseData(
    slug="baimurat-nauryzbek",
    seed="002_a9a780f8c189dde3.txt",
    headline="Young Kazakh jailed for ten years over internet posts",
    summary=(
        "Baimurat Nauryzbek, 30, was sentenced to ten years for “inciting racial hatred” over an internet forum "
        "post he allegedly wrote in 2012; his brother was warned to stop protesting."
    ),
    people=(PersonData("Baimurat Nauryzbek"),),
    story="""\
**Baimurat Nauryzbek**, 30, was interned in one of Xinjiang’s “training” centres. His brother, Baibolat
Kunbolat, recorded testimony with the Atajurt rights group and wrote letters of appeal to the Kazakh government,
and picketed the Chinese consulate in Almaty to demand his freedom.

In February, Gu Ming, a member of the Chinese mission in Kazakhstan, confirmed to Kunbolat that his brother had
been sentenced to ten years for inciting racial hatred. He had been convicted in 2018 over an internet forum
post that he allegedly wrote in 2012 and over other posts, the diplomat said.

Gu Ming told Kunbolat that the embassy would “engage with the Kazakhstan government to have action taken
against you” if he continued his protests, which Gu said could negatively affect Nauryzbek’s “reform”.

*Source: Caravanserai and AFP.*
""",
    asks=(
        "Disclose where Baimurat Nauryzbek is held, the charges against him and the court’s judgment",
        "Release him, unless there is sufficient, credible and admissible evidence that he committed an "
        "internationally recognized offence and he is granted a fair trial in line with international standards",
        "Allow him regular contact with his family and access to a lawyer of his choice, and ensure he is not "
        "subjected to torture and other ill-treatment",
        "Stop threatening his brother, Baibolat Kunbolat, for peacefully campaigning for him",
    ),
    letter="""\
I am writing to express my concern for Baimurat Nauryzbek, a 30-year-old ethnic Kazakh held in Xinjiang.

A member of the Chinese mission in Kazakhstan told his brother, Baibolat Kunbolat, that Baimurat Nauryzbek was convicted in 2018 of inciting racial hatred and sentenced to ten years, over an internet forum post he allegedly wrote in 2012 and other posts. His brother was also told that the embassy would ask the Kazakhstan government to take action against him if he continued to protest peacefully for his brother.

I urge you to:

- Disclose where Baimurat Nauryzbek is held, the charges against him and the court’s judgment;
- Release him, unless there is sufficient, credible and admissible evidence that he committed an internationally recognized offence and he is granted a fair trial in line with international standards;
- Allow him regular contact with his family and access to a lawyer of his choice, and ensure he is not subjected to torture and other ill-treatment;
- Stop threatening his brother, Baibolat Kunbolat, for peacefully campaigning for him.

Yours sincerely,
""",
    targets=(ZHANG_XIAO,),
    copies=(GU_MING,),
    status=CaseStatus.ACTIVE,
    issued_days_ago=28,
    deadline_in_days=33,
    extension=Extension(old_in_days=12, days_ago=5, text="Deadline extended: the appeal stays open."),
    goal=300,
    report_count=60,
)

_DEPORTATION_ASKS = (
    "Halt the deportation of {name} to China, where he would be at real risk of torture and other serious "
    "human rights violations",
    "Respect his status as an asylum-seeker and decide his asylum claim in a fair procedure",
    "Do not penalise him for crossing the border irregularly to seek protection",
)

_DEPORTATION_LETTER = """\
I am writing to express my concern for {name}, an ethnic Kazakh from Xinjiang, China, who is held in pretrial detention in Kazakhstan for illegally crossing the Chinese-Kazakh border. He was granted asylum-seeker status in October, yet the National Security Committee has said that he will be deported to China.

{detail}

I urge you to:

- Halt the deportation of {name} to China, where he would be at real risk of torture and other serious human rights violations;
- Respect his status as an asylum-seeker and decide his asylum claim in a fair procedure;
- Do not penalise him for crossing the border irregularly to seek protection.

Yours sincerely,
"""

_DEPORTATION_STORY = """\
**{name}**, an ethnic Kazakh from China’s Xinjiang region, is in pretrial detention in Kazakhstan for
illegally crossing the Chinese-Kazakh border, together with {other}. The two men were granted asylum-seeker
status in October. Darkhan Dilmanov, deputy chief of Kazakhstan’s National Security Committee, has said that
they will be deported to China.

{detail}

Kazakh opposition activists told reporters in Almaty on December 9 that the two men will “definitely” face
torture and possible death if handed over to Beijing, and called on the authorities to halt the deportation.

*Source: RFE/RL’s Kazakh Service.*
"""

MURAGER_ALIMULY = CaseData(
    slug="murager-alimuly",
    seed="003_eaceda73fd4ce973.txt",
    headline="Asylum-seeker faces deportation to China",
    summary=(
        "Murager Alimuly, an ethnic Kazakh asylum-seeker from Xinjiang, faces deportation from Kazakhstan to China."
    ),
    people=(PersonData("Murager Alimuly"),),
    story=_DEPORTATION_STORY.format(
        name="Murager Alimuly",
        other="Qaster Musakhanuly",
        detail=(
            "Before their arrest, the two held a news conference in Almaty, where they said that Murager Alimuly\n"
            "had been subjected to persecution in Xinjiang."
        ),
    ),
    asks=tuple(ask.format(name="Murager Alimuly") for ask in _DEPORTATION_ASKS),
    letter=_DEPORTATION_LETTER.format(
        name="Murager Alimuly",
        detail="Before his arrest, Murager Alimuly told reporters in Almaty that he had been persecuted in Xinjiang.",
    ),
    targets=(DARKHAN_DILMANOV,),
    status=CaseStatus.ACTIVE,
    issued_days_ago=21,
    deadline_in_days=6,
    report_count=45,
)

QASTER_MUSAKHANULY = CaseData(
    slug="qaster-musakhanuly",
    seed="003_eaceda73fd4ce973.txt",
    headline="Former camp detainee faces deportation to China",
    summary=(
        "Qaster Musakhanuly, an ethnic Kazakh asylum-seeker who spent several years in a “reeducation camp” in "
        "Xinjiang, faces deportation from Kazakhstan to China."
    ),
    people=(PersonData("Qaster Musakhanuly"),),
    story=_DEPORTATION_STORY.format(
        name="Qaster Musakhanuly",
        other="Murager Alimuly",
        detail=(
            "Before their arrest, the two held a news conference in Almaty, where they said that Qaster\n"
            "Musakhanuly had spent several years in a so-called “reeducation camp” in Xinjiang."
        ),
    ),
    asks=tuple(ask.format(name="Qaster Musakhanuly") for ask in _DEPORTATION_ASKS),
    letter=_DEPORTATION_LETTER.format(
        name="Qaster Musakhanuly",
        detail=(
            "Before his arrest, Qaster Musakhanuly told reporters in Almaty that he had spent several years "
            "in a so-called “reeducation camp” in Xinjiang."
        ),
    ),
    targets=(DARKHAN_DILMANOV,),
    status=CaseStatus.ACTIVE,
    issued_days_ago=21,
    deadline_in_days=6,
    report_count=40,
)

ARZEGUL_HALAMBEK = CaseData(
    slug="arzegul-halambek",
    seed="004_d86a096bc6c4d716.txt",
    headline="Mother of five held in Xinjiang, kept from her family",
    summary=(
        "Arzegul Halambek went back to Nilka County in Xinjiang when told her household registration would be "
        "erased; she was put under house arrest, her passport taken, and has not been allowed to return."
    ),
    people=(PersonData("Arzegul Halambek"),),
    story="""\
**Arzegul Halambek** immigrated to Kazakhstan with her husband, Junisbay Nasilbek, in 2008. In January 2018
the authorities in Nilka County, Xinjiang, sent her a notification that her household registration would be
erased unless she returned to Nilka County.

When she arrived, she was placed under house arrest and her passport was confiscated. The police questioned
her thoroughly, asking why she had moved to Kazakhstan, how long she had been there, and who she had met with.
She has not been allowed to return.

Her husband, now 66, takes care of their five children alone in Kazakhstan, sending them to school, cooking,
doing all the household chores, and herding. “My family is separated,” he said. “We never imagined going
through torture and humiliation for returning to China.”

*Source: ChinaAid.*
""",
    additional_information="""\
In April 2018 the Chinese embassy in Kazakhstan tried to arrange a private meeting with the families of people
detained in Xinjiang’s “political training centers”, first at a hotel in Almaty and then at the embassy itself,
with attendance restricted and reporters barred. Families say their petitions to the embassy about detained
relatives have gone unanswered.
""",
    asks=(
        "Lift the house arrest on Arzegul Halambek and return her passport",
        "Allow her to return to her husband and five children in Kazakhstan",
        "Ensure she is not subjected to torture and other ill-treatment",
    ),
    letter="""\
I am writing to express my concern for Arzegul Halambek, who has lived in Kazakhstan with her husband, Junisbay Nasilbek, since 2008.

In January 2018 the authorities in Nilka County told her that her household registration would be erased unless she returned to Nilka County. When she arrived, she was placed under house arrest, her passport was confiscated and the police questioned her about her life in Kazakhstan. She has not been allowed to return, and her husband is caring for their five children alone.

I urge you to:

- Lift the house arrest on Arzegul Halambek and return her passport;
- Allow her to return to her husband and five children in Kazakhstan;
- Ensure she is not subjected to torture and other ill-treatment.

Yours sincerely,
""",
    targets=(NILKA_COUNTY,),
    copies=(ZHANG_XIAO,),
    status=CaseStatus.ACTIVE,
    issued_days_ago=25,
    deadline_in_days=40,
    report_count=35,
)

#: The seed does not give his name; the case stays a draft until the organisers learn it.
JENGISNEK_HUSBAND = CaseData(
    slug="husband-of-sara-jengisnek",
    seed="004_d86a096bc6c4d716.txt",
    headline="Father of three held in a “political training center” since 2017",
    summary=(
        "Sara Jengisnek’s husband went back to China on July 30, 2017 and never returned; she heard he was sent "
        "to a “political training center”."
    ),
    people=(PersonData("Husband of Sara Jengisnek (name not yet known)"),),
    story="""\
Sara Jengisnek and her husband immigrated to Kazakhstan in October 2015. Her husband went back to China on
July 30, 2017, and never returned home. “I heard that he’s been sent to a ‘political training center’,” she
said.

She takes care of their three children on her own. Their son has diabetes and has to inject insulin every day.
“We need money for groceries and medication. Please, help us reunite with my husband.”

*Source: ChinaAid.*
""",
    asks=(
        "Disclose where Sara Jengisnek’s husband is held and why",
        "Release him, unless there is sufficient, credible and admissible evidence that he committed an "
        "internationally recognized offence",
        "Allow him regular contact with his wife and three children in Kazakhstan",
    ),
    letter="""\
I am writing to express my concern for the husband of Sara Jengisnek. The couple immigrated to Kazakhstan in October 2015; he went back to China on July 30, 2017, and never returned home. His wife has heard that he was sent to a “political training center”, and she is caring for their three children alone.

I urge you to:

- Disclose where he is held and why;
- Release him, unless there is sufficient, credible and admissible evidence that he committed an internationally recognized offence;
- Allow him regular contact with his wife and three children in Kazakhstan.

Yours sincerely,
""",
    targets=(ZHANG_XIAO,),
    status=CaseStatus.DRAFT,
)
