"""The household format, declared once. Every household and member fact is one `Field` below; the
parser (calculator.household), the roster reader and writer and its template and 填写说明
(calculator.screen), the form data the page builds its form from (scripts/calculator_page/form.py,
`form_fields()`), the hypothesis strategies (tests/test_properties.py) and the benchmark's households
and rosters (scripts/samples) are all derived from it. To add a household fact: add one Field
here, then the rule that reads it (README, 新增一项家庭情况).

A field's `key` is its path inside its level: "area", "standards.urban_dibao_monthly" (household),
"age", "disability.kind" (member). A dotted key lives in a group: an object of the JSON format
("standards", "disability") declared in GROUPS.

A blank is unknown: every optional field left out, left empty or null is None in the Household, on
the form (不清楚) and in the roster (an empty cell, 不清楚); a rule that needs it says it is missing.
"None of these" is an answer of its own, never a blank: the choice NONE ("student": "none" = 不在上学,
"emergency": "none" = 没有遇到), and for a group whose `none` is set the group's JSON value NONE
instead of its object ("disability": "none" = 没有残疾), offered by the group's first field's choices
on the form and in the roster."""

from __future__ import annotations

from functools import lru_cache

from .record import factory, record

HOUSEHOLD, MEMBER = "household", "member"

# kinds: what the JSON value is
CHOICE = "choice"    # one of `choices` (a JSON string)
FLAG = "flag"        # true / false (null or left out: not given)
MONEY = "money"      # yuan, a number or a number as text, >= 0
INTEGER = "integer"  # a whole number from `low` to `high`; `choices` (if any) give the form's words
DATE = "date"        # YYYY-MM-DD

YES_NO = {True: "是", False: "否"}
UNKNOWN_WORDS = ("不清楚", "不知道", "不详", "未知")  # a roster cell meaning "not given"
NONE = "none"  # the JSON answer "none of these" (a choice, or a group's value instead of its object)
NONE_WORDS = ("无", "没有", "否")  # roster words for NONE, where a field offers it and they are unambiguous


@record(frozen=True)
class Field:
    key: str
    level: str
    kind: str
    label: str                      # Chinese label (with its unit), used in every message and on the form
    header: str                     # the roster column's header
    hint: str = ""                  # the form's plain-words explanation; no threshold or amount
    unit: str = ""                  # shown beside the form's input
    choices: dict = factory(dict)   # value -> the form's word (CHOICE, INTEGER); FLAG: YES_NO
    aliases: dict = factory(dict)   # more roster words -> value (short forms, old words)
    ambiguous: dict = factory(dict)  # roster words refused: word -> why, and what to write
    required: bool = False          # required in its level, or in its group when the group is given
    low: int | None = None          # INTEGER bounds
    high: int | None = None
    positive: bool = False          # MONEY: must be more than 0
    section: str = ""               # the form section it shows in (SECTIONS)
    widget: str = ""                # radio | select | check | text | date
    empty: str = ""                 # the form's word for "not given" (radio/select); a roster word too
    prompt: str = ""                # a required select's first, empty option (the form only)
    example: str = ""               # a roster example cell
                                    # (left out, a field is None in the Household: unknown; no default)
    phrase: object = None           # how a description says a value: {value: words}, or "…{word}…" (the
                                    # choice's word, or the value), for "70 岁，患重特大疾病"

    @property
    def name(self) -> str:
        """The attribute of Household/Member: the key, or the group for a dotted key."""
        return self.key.split(".")[0]

    @property
    def optional(self) -> bool:
        return not self.required

    @property
    def blank(self) -> str:
        """The form's word for an optional field left empty (不清楚, 不填): always "not given", never
        an answer; "" for a required field."""
        return "" if self.required else self.empty or "不清楚"

    @property
    def words(self) -> dict:
        """Every roster word for this field -> its value (None: not given)."""
        out = {}
        if self.kind == FLAG:
            out |= {w: True for w in ("是", "有", "y", "yes", "true", "1", "√", "✓")}
            out |= {w: False for w in ("否", "无", "没有", "n", "no", "false", "0", "×")}
        for value, word in self.choices.items():
            out[word] = value
            if isinstance(value, str):
                out[value] = value
        if NONE in self.choices and self.kind != FLAG:
            out |= {w: NONE for w in NONE_WORDS}
        out |= self.aliases
        if self.optional or (self.name in GROUPS and self is group_fields(self.name)[0]):
            out |= {w: None for w in UNKNOWN_WORDS}  # a group's first field: the group not given
            out[self.blank or "不清楚"] = None
        return out


@record(frozen=True)
class Group:
    key: str
    level: str
    label: str
    hint: str = ""
    none: str = ""  # the group's JSON value for "none" instead of its object (NONE), chosen as its
                    # first field's choice of that value on the form and in the roster


@record(frozen=True)
class Section:
    id: str
    level: str
    title: str = ""        # the legend or the summary of a collapsed section
    advanced: bool = False  # collapsed (更多) until opened
    hint_of: str = ""       # the group whose hint the section shows


AREAS = {"urban": "城市（城镇）", "rural": "农村"}
SUPPORTERS = {"none": "没有赡养抚养扶养义务人", "unable": "有，但没有赡养抚养扶养能力", "able": "有，且有能力赡养抚养扶养"}
DISABILITY_KINDS = {"physical": "肢体残疾", "intellectual": "智力残疾", "mental": "精神残疾", "visual": "视力残疾",
                    "hearing": "听力残疾", "speech": "言语残疾", "multiple": "多重残疾"}
GRADES = {1: "一级（最重）", 2: "二级", 3: "三级", 4: "四级"}
STUDENT_STAGES = {"preschool": "学前教育", "primary": "小学", "junior_high": "初中", "senior_high": "高中",
                  "vocational": "中职（中专、技校）", "college": "大学（大专、本科）"}
EMERGENCIES = {"disaster": "自然灾害", "accident": "意外事故（交通事故等）", "fire": "火灾", "sudden_illness": "突发重病",
               "none": "没有遇到"}
SEXES = {"female": "女", "male": "男"}

MAX_MEMBERS = 30
MAX_AGE = 130

GROUPS = {g.key: g for g in (
    Group("members", HOUSEHOLD, "家庭成员"),
    Group("standards", HOUSEHOLD, "低保标准（自行填写）",
          "已经公布的标准会自动使用。结果里显示“待公布”时，可向民政办问清当地标准后填写，测算就能给出金额。"),
    Group("disability", MEMBER, "残疾情况", "有残疾人证的，按证上的类别和等级选；没有残疾的选“没有残疾”。",
          none=NONE),
)}

SECTIONS = (
    Section("area", HOUSEHOLD),
    Section("members", HOUSEHOLD, "家庭成员（共同生活的家庭成员，每人一栏）"),
    Section("member", MEMBER),
    Section("member_more", MEMBER, "这位成员的更多情况（选填：性别、退役军人、就业等）", advanced=True),
    Section("basic", HOUSEHOLD),
    Section("standards", HOUSEHOLD, "低保标准（自行填写）", hint_of="standards"),
    Section("more", HOUSEHOLD, "更多情况（选填：医疗和教育费用、突发困难、住房等）", advanced=True),
)

_M = "元"
FIELDS = (
    # ---- the household
    Field("area", HOUSEHOLD, CHOICE, "户籍所在地类别（城市/农村）", "城乡", "按户口登记的类别选。", choices=AREAS,
          aliases={"城市": "urban", "城镇": "urban"}, required=True, section="area", widget="radio", example="农村"),
    Field("monthly_income_yuan", HOUSEHOLD, MONEY, "家庭月收入（元，全家合计）", "家庭月收入（元）",
          "全家每月的收入加在一起，单位元：工资、经营、养老金、种地等收入都算。没有收入填 0。", unit="元/月",
          required=True, section="basic", widget="text", example="600"),
    Field("supporters", HOUSEHOLD, CHOICE, "法定赡养抚养扶养义务人", "赡养抚养扶养人",
          "子女、父母、配偶等依法应当赡养、抚养、扶养的人。", choices=SUPPORTERS,
          aliases={"无": "none", "没有": "none", "没有义务人": "none",
                   "有，但没有能力": "unable", "有但没有能力": "unable", "有但无能力": "unable", "无能力": "unable",
                   "有，且有能力": "able", "有且有能力": "able", "有能力": "able"},
          ambiguous={"有": "只写“有”分不清有没有能力：请填“有能力”或“有但无能力”"},
          section="basic", widget="radio", empty="不清楚", example="有但无能力"),
    Field("assets_within_limits", HOUSEHOLD, FLAG, "家庭财产是否符合规定", "财产符合规定",
          "存款、车辆、房屋等是否在当地规定的范围内。不清楚可以不选。", choices=YES_NO,
          section="basic", widget="radio", empty="不清楚", example="是"),
    Field("standards.urban_dibao_monthly", HOUSEHOLD, MONEY, "城市低保月标准（元/人·月）", "城市低保标准（元/人·月）",
          "单位：元/人·月。", unit="元/人·月", positive=True, section="standards", widget="text"),
    Field("standards.rural_dibao_monthly", HOUSEHOLD, MONEY, "农村低保月标准（元/人·月）", "农村低保标准（元/人·月）",
          "单位：元/人·月。", unit="元/人·月", positive=True, section="standards", widget="text"),
    Field("medical_expenses_yuan", HOUSEHOLD, MONEY, "近12个月自付医疗费用（元）", "近12个月自付医疗费（元）",
          "近12个月看病自己花的钱（报销以后的部分），单位元。", unit=_M, section="more", widget="text",
          example="25000"),
    Field("education_expenses_yuan", HOUSEHOLD, MONEY, "近12个月自付教育费用（元）", "近12个月自付教育费（元）",
          "近12个月孩子上学自己花的钱，单位元。", unit=_M, section="more", widget="text", example="3000"),
    Field("emergency", HOUSEHOLD, CHOICE, "突发急难情况", "突发急难", "最近遇到的突发困难。", choices=EMERGENCIES,
          aliases={"意外事故": "accident", "交通事故": "accident", "受灾": "disaster", "没有": "none", "无": "none"},
          section="more", widget="select", empty="不清楚", example="火灾"),
    Field("housing_difficulty", HOUSEHOLD, FLAG, "住房是否困难（无房、危房等）", "住房困难", "没有住房、住危房等。",
          choices=YES_NO, section="more", widget="radio", empty="不清楚", example="否"),
    Field("poverty_registered", HOUSEHOLD, FLAG, "是否建档立卡贫困户", "建档立卡", choices=YES_NO,
          section="more", widget="radio", empty="不清楚", example="否"),
    Field("hardship_worker", HOUSEHOLD, FLAG, "家中是否有困难职工", "困难职工", choices=YES_NO,
          section="more", widget="radio", empty="不清楚", example="否"),
    Field("legal_case", HOUSEHOLD, FLAG, "是否涉案涉法、因案致困", "涉案涉法", choices=YES_NO,
          section="more", widget="radio", empty="不清楚", example="否"),
    Field("homeless", HOUSEHOLD, FLAG, "是否生活无着、流浪乞讨", "流浪乞讨", choices=YES_NO,
          section="more", widget="radio", empty="不清楚", example="否"),
    Field("left_behind", HOUSEHOLD, FLAG, "是否“三留守”家庭（留守老人、妇女、儿童）", "三留守", choices=YES_NO,
          section="more", widget="radio", empty="不清楚", example="否"),
    Field("as_of", HOUSEHOLD, DATE, "测算日期", "测算日期", "不填就按今天测算。", section="more", widget="date",
          example="2026-12-01"),
    # ---- each member
    Field("age", MEMBER, INTEGER, "年龄（周岁）", "年龄", "按周岁填整数。", unit="岁", required=True, low=0, high=MAX_AGE,
          section="member", widget="text", example="72", phrase="{word} 岁"),
    Field("disability.kind", MEMBER, CHOICE, "残疾类别", "残疾类别", choices={NONE: "没有残疾", **DISABILITY_KINDS},
          aliases={v.replace("残疾", ""): k for k, v in DISABILITY_KINDS.items()} | {"无残疾": NONE, "非残疾人": NONE},
          ambiguous={"有": "只写“有”分不清残疾类别：请填残疾类别（如“肢体残疾”），不清楚的留空",
                     "是": "只写“是”分不清残疾类别：请填残疾类别（如“肢体残疾”），不清楚的留空"},
          required=True, section="member", widget="select", empty="不清楚", example="肢体",
          phrase={k: v for k, v in DISABILITY_KINDS.items()}),
    Field("disability.grade", MEMBER, INTEGER, "残疾等级", "残疾等级", choices=GRADES, required=True, low=1, high=4,
          aliases={"一级": 1, "二级": 2, "三级": 3, "四级": 4, "一": 1, "二": 2, "三": 3, "四": 4},
          section="member", widget="select", prompt="请选择等级", example="2",
          phrase={1: "一级", 2: "二级", 3: "三级", 4: "四级"}),
    Field("student", MEMBER, CHOICE, "在读学段", "在读学段", "正在上学的，选所在学段；不上学的选“不在上学”。",
          choices={NONE: "不在上学", **STUDENT_STAGES},
          aliases={"学前": "preschool", "幼儿园": "preschool", "中职": "vocational", "中专": "vocational",
                   "技校": "vocational", "大学": "college", "大专": "college", "本科": "college",
                   "不上学": NONE, "没上学": NONE, "未上学": NONE, "不在校": NONE},
          ambiguous={"是": "只写“是”分不清学段：请填学段（如“初中”），不在上学的填“不在上学”",
                     "在读": "只写“在读”分不清学段：请填学段（如“初中”），不在上学的填“不在上学”"},
          section="member", widget="select", empty="不清楚", example="初中",
          phrase={k: f"在读{v}" for k, v in STUDENT_STAGES.items()}),
    Field("serious_illness", MEMBER, FLAG, "是否患重特大疾病", "重特大疾病", "如癌症、尿毒症等重大疾病。",
          choices=YES_NO, section="member", widget="radio", empty="不清楚", example="否", phrase={True: "患重特大疾病"}),
    Field("sex", MEMBER, CHOICE, "性别", "性别", choices=SEXES, section="member_more", widget="radio", empty="不填",
          example="女", phrase="{word}"),
    Field("veteran", MEMBER, FLAG, "是否退役军人", "退役军人", choices=YES_NO, section="member_more", widget="radio",
          empty="不清楚", example="否", phrase={True: "退役军人"}),
    Field("seeking_work", MEMBER, FLAG, "是否未就业且想找工作", "想找工作", "处于就业年龄、目前没有工作并且想找工作。",
          choices=YES_NO, section="member_more", widget="radio", empty="不清楚", example="否",
          phrase={True: "未就业、想找工作", False: "不找工作"}),
    Field("two_cancers", MEMBER, FLAG, "是否患宫颈癌或乳腺癌", "两癌", choices=YES_NO, section="member_more",
          widget="radio", empty="不清楚", example="否", phrase={True: "患宫颈癌或乳腺癌"}),
)

BY_KEY = {(f.level, f.key): f for f in FIELDS}
HOUSEHOLD_FIELDS = tuple(f for f in FIELDS if f.level == HOUSEHOLD)
MEMBER_FIELDS = tuple(f for f in FIELDS if f.level == MEMBER)


@lru_cache(maxsize=None)  # FIELDS never changes: computed once (the parser asks for every object)
def names(level: str) -> tuple[str, ...]:
    """The keys of a level's JSON object, in declaration order (the members list after the area)."""
    out = [f.name for f in FIELDS if f.level == level]
    if level == HOUSEHOLD:
        out.insert(out.index("area") + 1, "members")
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=None)  # FIELDS never changes: computed once (the parser asks for every object)
def by_name(level: str) -> dict[str, tuple[Field, ...]]:
    """{attribute: its fields, in declaration order} of a level (a group's fields under the group's name)."""
    out: dict[str, list] = {}
    for f in FIELDS:
        if f.level == level:
            out.setdefault(f.name, []).append(f)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=None)  # FIELDS never changes: computed once (the parser asks for every object)
def group_fields(group: str) -> tuple[Field, ...]:
    return tuple(f for f in FIELDS if f.name == group and "." in f.key)


@lru_cache(maxsize=None)  # FIELDS never changes: computed once (the parser asks for every object)
def group_keys(group: str) -> tuple[str, ...]:
    return tuple(f.key.split(".", 1)[1] for f in FIELDS if f.name == group and "." in f.key)


def labels() -> dict:
    """Chinese label of every key path inside its level (the validator's and the form's labels)."""
    out = {g.key: g.label for g in GROUPS.values()}
    out |= {f.key: f.label for f in FIELDS}
    return out


def hints() -> dict:
    out = {g.key: g.hint for g in GROUPS.values() if g.hint}
    out |= {f.key: f.hint for f in FIELDS if f.hint}
    return out


def describe(obj, level: str = MEMBER) -> str:
    """A member (or a household's own facts) in words, from each field's `phrase`, in declaration
    order: "70 岁，肢体残疾二级，患重特大疾病". A group's phrases join without a separator; what was
    left blank, or has no phrase for its value, is left out."""
    parts, group = [], None
    for f in FIELDS:
        if f.level != level or f.phrase is None:
            continue
        name, _, inner = f.key.partition(".")
        value = getattr(obj, name, None)
        if inner and value is not None:
            value = value.get(inner) if isinstance(value, dict) else getattr(value, inner, None)
        if value is None:
            continue
        if isinstance(f.phrase, dict):
            words = f.phrase.get(value)
        else:
            words = f.phrase.format(word=f.choices.get(value, value) if f.choices else value)
        if not words:
            continue
        if inner and group == name:
            parts[-1] += words
        else:
            parts.append(words)
        group = name if inner else None
    return "，".join(parts)


def form_fields() -> dict:
    """What the page draws its form from, collects and fills: the sections in order, each with its
    fields (key, level, kind, label, hint, unit, widget, choices as [value, word] pairs, the word of
    "not given", whether required). JSON-ready."""
    def one(f: Field) -> dict:
        return {"key": f.key, "level": f.level, "kind": f.kind, "label": f.label, "hint": f.hint, "unit": f.unit,
                "widget": f.widget, "required": f.required, "empty": f.empty, "prompt": f.prompt,
                "choices": [[v, w] for v, w in f.choices.items()]}
    return {"sections": [{"id": s.id, "level": s.level, "title": s.title, "advanced": s.advanced,
                          "hint": GROUPS[s.hint_of].hint if s.hint_of else "",
                          "fields": [one(f) for f in FIELDS if f.section == s.id]} for s in SECTIONS],
            "groups": {g.key: {"level": g.level, "label": g.label, "hint": g.hint, "none": g.none} for g in GROUPS.values()},
            "max_members": MAX_MEMBERS}
