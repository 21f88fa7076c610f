"""Rural houses: the dilapidation classes of the appraisal (农村住房危险性鉴定, after 《农村住房危险性
鉴定标准》 JGJ/T 363-2014) and which houses are flagged.

Classes (our summary of the standard's 4.1 [M — wording to confirm against the text]):
A 结构能满足安全使用要求; B 个别构件处于危险状态，不影响主体结构安全; C 部分承重结构不能满足安全使用要求，
构成局部危房; D 承重结构已不能满足安全使用要求，房屋整体出现险情，构成整栋危房.

Flag [M — the policy is ours]: a C or D house is flagged while it is in use (any use but 闲置) and
not yet made safe (renovation neither 已整治 nor 已拆除): people live or work in a dangerous house.
"""

from __future__ import annotations

DILAPIDATION_CLASSES = {
    "A": "结构能满足安全使用要求",
    "B": "个别结构构件处于危险状态，但不影响主体结构安全",
    "C": "部分承重结构不能满足安全使用要求，局部出现险情，构成局部危房",
    "D": "承重结构已不能满足安全使用要求，房屋整体出现险情，构成整栋危房",
}
DANGEROUS = frozenset({"C", "D"})
NOT_IN_USE = frozenset({"vacant"})
MADE_SAFE = frozenset({"renovated", "demolished"})


def house_flag(*, dilapidation: str, use: str, renovation: str) -> bool:
    """Whether a house is a dangerous house in use and not yet made safe (see the module docstring)."""
    return dilapidation in DANGEROUS and use not in NOT_IN_USE and renovation not in MADE_SAFE
