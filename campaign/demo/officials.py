"""The officials and offices of the demo cases: only what the seeds say; the news reports give names and
offices, not addresses. One object used in several cases is one reusable target."""

from __future__ import annotations

from campaign.demo.records import TargetData

WANG_JIANG = TargetData(
    name="Wang Jiang",
    title="Director",
    organisation="Prison Administration Bureau of Xinjiang Uyghur Autonomous Region",
    address="No 380, Huanghe lu, Urumqi\n830000, Xinjiang Uyghur Autonomous Region\nPeople's Republic of China",
    salutation="Dear Director Wang",
)

CUI_TIANKAI = TargetData(
    name="Cui Tiankai",
    title="Ambassador",
    organisation="Embassy of the People's Republic of China",
    address="3505 International Place NW\nWashington DC 20008",
    emails=("chinaembpress_us@mfa.gov.cn",),
    faxes=("202 495 2138",),
    phones=("202 495 2266",),
    salutation="Dear Ambassador",
)

MA_XINGRUI = TargetData(
    name="Ma Xingrui",
    title="Party Secretary of Xinjiang",
    address=(
        "479 Zhongshan Lu, Tianshan Qu, Urumqi\n830041, Xinjiang Uyghur Autonomous Region\nPeople's Republic of China"
    ),
    salutation="Dear Secretary",
    preferred_language="zh",
)

#: The UA copies in the branch's director without naming them; a target needs a name, so the title serves.
SHAYIBAKE_DIRECTOR = TargetData(
    name="Director",
    organisation="Urumqi Public Security Bureau Shayibake Branch",
    address="4 Jingyi Lu, Urumqi\n830000, Xinjiang Uyghur Autonomous Region",
    preferred_language="zh",
)

ZHANG_XIAO = TargetData(
    name="Zhang Xiao",
    title="Ambassador",
    organisation="Embassy of the People's Republic of China in Kazakhstan",
    salutation="Dear Ambassador",
)

GU_MING = TargetData(
    name="Gu Ming",
    organisation="Embassy of the People's Republic of China in Kazakhstan",
    salutation="Dear Gu Ming",
)

DARKHAN_DILMANOV = TargetData(
    name="Darkhan Dilmanov",
    title="Deputy Chief",
    organisation="National Security Committee of Kazakhstan",
    salutation="Dear Deputy Chief Dilmanov",
)

NILKA_COUNTY = TargetData(
    name="Nilka County authorities",
    organisation="Nilka County, Xinjiang Uyghur Autonomous Region",
)


# Cases.
