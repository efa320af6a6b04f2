import pytest
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from borrower.text import find_lender_names
from components.entities import AmountExtractor, DurationExtractor, EntityResolver, resolve


def _e(start, end, entity, extractor, confidence=None):
    found = {"start": start, "end": end, "entity": entity, "extractor": extractor, "value": "x"}
    if confidence is not None:
        found["confidence_entity"] = confidence
    return found


def test_longer_span_of_the_same_type_wins():
    kept = resolve([_e(2, 4, "time_of_day", "SpacyEntityExtractor"), _e(2, 7, "time_of_day", "ClockTimeExtractor")])
    assert [(e["start"], e["end"]) for e in kept] == [(2, 7)]


def test_a_lexicon_name_is_not_run_on_by_diet():
    # 「美团加起来」: the learned extractor ran the name on over the verb after it; the lexicon's name is whole
    text = "分期乐和美团加起来一个月要还九千多"
    kept = resolve([_e(4, 6, "platform", "SpacyEntityExtractor"), _e(4, 7, "platform", "CharCRFEntityExtractor", 0.9)], text)
    assert [text[e["start"]:e["end"]] for e in kept] == ["美团"]


def test_a_lexicon_name_runs_on_only_into_a_full_company_name():
    text = "平安普惠贷款强制买保险"
    kept = resolve([_e(0, 4, "platform", "SpacyEntityExtractor")], text)
    assert [text[e["start"]:e["end"]] for e in kept] == ["平安普惠"]
    text = "平安普惠融资担保有限公司强制买保险"
    kept = resolve([_e(0, 4, "platform", "SpacyEntityExtractor")], text)
    assert [text[e["start"]:e["end"]] for e in kept] == ["平安普惠融资担保有限公司"]


@pytest.mark.parametrize("text, start, end", [
    ("融资租赁的车，美利车金融非要我买保险", 10, 12),  # "金融": company words alone
    ("落款写的某某区人民法院", 4, 6),  # a placeholder
    ("汽车金融公司乱收费找谁", 0, 6),
    ("我根本没点确认借款", 7, 9),  # an app word alone
])
def test_company_words_or_a_placeholder_alone_are_no_platform(text, start, end):
    assert resolve([_e(start, end, "platform", "CharCRFEntityExtractor", 0.9)], text) == []


def test_rule_based_extractor_wins_between_types():
    kept = resolve([_e(0, 4, "platform", "SpacyEntityExtractor"), _e(0, 4, "loan_type", "CharCRFEntityExtractor", 0.99)])
    assert [e["entity"] for e in kept] == ["platform"]


def test_duplicates_collapse_to_one():
    kept = resolve([_e(0, 3, "platform", "CharCRFEntityExtractor", 0.9), _e(0, 3, "platform", "CharCRFEntityExtractor", 0.6)])
    assert len(kept) == 1 and kept[0]["confidence_entity"] == 0.9


def test_touching_platform_fragments_become_one_name():
    text = "要投诉鑫盛融资租赁有限公司"
    kept = resolve([_e(3, 5, "platform", "CharCRFEntityExtractor", 0.8), _e(5, 13, "platform", "CharCRFEntityExtractor", 0.7)], text)
    assert [(text[e["start"]:e["end"]], e["entity"]) for e in kept] == [("鑫盛融资租赁有限公司", "platform")]
    apart = resolve([_e(0, 2, "platform", "CharCRFEntityExtractor"), _e(3, 5, "platform", "CharCRFEntityExtractor")], "借呗和花呗")
    assert len(apart) == 2  # two names with a word between them stay two


@pytest.mark.parametrize(
    "text, start, end, name",
    [
        ("好像是叫某某金融的一个app", 4, 6, "某某金融"),
        ("鑫达小额贷款有限公司放款前先收费", 0, 2, "鑫达小额贷款有限公司"),
        ("在安逸花借的", 1, 4, "安逸花"),  # nothing after it to take
    ],
)
def test_a_platform_name_runs_on_over_company_words(text, start, end, name):
    [kept] = resolve([_e(start, end, "platform", "CharCRFEntityExtractor", 0.9)], text)
    assert text[kept["start"]:kept["end"]] == name


@pytest.mark.parametrize(
    "text, name",
    [
        ("闪电贷这钱必须吐出来", "闪电贷"),
        ("闪电借款这种操作合规吗", "闪电借款"),
        ("闪电借了我三千", "闪电"),  # "借" is the verb here
    ],
)
def test_a_name_diet_found_runs_on_over_an_app_word(text, name):
    [kept] = resolve([_e(0, 2, "platform", "CharCRFEntityExtractor", 0.9)], text)
    assert text[kept["start"]:kept["end"]] == name


def test_a_known_name_does_not_take_an_app_word():
    [kept] = resolve([_e(0, 2, "platform", "SpacyEntityExtractor")], "招行分期还不上")
    assert (kept["start"], kept["end"]) == (0, 2)


@pytest.mark.parametrize(
    "text, names",
    [
        ("我在鑫源小额贷款有限公司借了两万", ["鑫源小额贷款有限公司"]),
        ("浙江这边吉致汽车金融的车贷", ["吉致汽车金融"]),
        ("我想投诉中原消费金融", ["中原消费金融"]),
        ("去年中原消费金融放的款", ["中原消费金融"]),
        ("车登记在狮桥融资租赁名下", ["狮桥融资租赁"]),
        ("一个叫闪电周转的app，借1500到手1000", ["闪电周转"]),
        ("有个叫“荷包满”的平台", ["荷包满"]),
        ("持牌消费金融公司归谁管", []),
        ("找消费金融公司协商", []),
        ("他叫我的名字", []),
        ("像鑫隆小额贷款有限公司这种要去哪投诉", ["鑫隆小额贷款有限公司"]),
        ("请问消费金融公司的投诉打哪个电话", []),
        ("我身份证号在这，名字叫王磊", []),  # a person's name, not an app's
    ],
)
def test_lender_names_by_their_shape(text, names):
    assert [name for _, _, name in find_lender_names(text)] == names


def test_a_lender_name_outranks_the_loan_type_inside_it():
    text = "中原消费金融乱收费"
    kept = resolve([_e(2, 6, "loan_type", "SpacyEntityExtractor"), _e(0, 6, "platform", "LenderNameExtractor")], text)
    assert [(e["entity"], e["start"], e["end"]) for e in kept] == [("platform", 0, 6)]


def test_a_lender_name_by_its_shape_beats_a_longer_diet_span_around_it():
    text = "我在鑫源小额贷款有限公司借了两万"
    kept = resolve([_e(0, 12, "platform", "CharCRFEntityExtractor", 0.8), _e(2, 12, "platform", "LenderNameExtractor")], text)
    assert [text[e["start"]:e["end"]] for e in kept] == ["鑫源小额贷款有限公司"]


def test_a_one_character_platform_is_dropped():
    assert resolve([_e(2, 3, "platform", "CharCRFEntityExtractor", 0.7)], "这么大的窟窿") == []


def test_a_measure_phrase_is_not_a_platform():
    text = "好像是叫某某金融的一个app"
    kept = resolve([_e(4, 8, "platform", "CharCRFEntityExtractor", 0.9), _e(9, 11, "platform", "CharCRFEntityExtractor", 0.6)], text)
    assert [text[e["start"]:e["end"]] for e in kept] == ["某某金融"]


def test_values_are_normalised():
    text = "在招行借了五万二，逾期三个月，编号ts-2611-7k3qx"
    message = Message(data={TEXT: text})
    message.set(ENTITIES, [
        _e(1, 3, "platform", "SpacyEntityExtractor"),
        _e(5, 8, "amount", "AmountExtractor"),
        _e(11, 14, "overdue_duration", "DurationExtractor"),
        _e(17, 30, "case_id", "RegexEntityExtractor"),
    ])
    [processed] = EntityResolver().process([message])
    values = {e["entity"]: e["value"] for e in processed.get(ENTITIES)}
    assert values == {"platform": "招商银行", "amount": 52000, "overdue_duration": 90, "case_id": "TS-2611-7K3QX"}


def test_unparseable_values_stay_as_text():
    message = Message(data={TEXT: "某某平台"})
    message.set(ENTITIES, [_e(0, 4, "platform", "CharCRFEntityExtractor", 0.5)])
    [processed] = EntityResolver().process([message])
    assert processed.get(ENTITIES)[0]["value"] == "某某平台"


def test_amounts_come_from_the_amount_extractor_only():
    text = "借12万先扣了1.5万，分36期"
    message = Message(data={TEXT: text})
    message.set(ENTITIES, [_e(1, 4, "amount", "CharCRFEntityExtractor", 0.9), _e(13, 15, "amount", "CharCRFEntityExtractor", 0.9)])
    [message] = AmountExtractor().process([message])
    [processed] = EntityResolver().process([message])
    assert [(text[e["start"]:e["end"]], e["value"]) for e in processed.get(ENTITIES)] == [("12万", 120000), ("1.5万", 15000)]


def test_closed_lists_come_from_the_ruler_only():
    kept = resolve([_e(0, 3, "harassment_type", "CharCRFEntityExtractor", 0.9), _e(4, 8, "harassment_type", "SpacyEntityExtractor"),
                    _e(9, 12, "platform", "CharCRFEntityExtractor", 0.8)])
    assert [(e["start"], e["entity"]) for e in kept] == [(4, "harassment_type"), (9, "platform")]


def test_overdue_durations_come_from_the_duration_extractor_only():
    text = "网贷逾期两个多月了，能不能延期两个月"
    message = Message(data={TEXT: text})
    message.set(ENTITIES, [_e(14, 17, "overdue_duration", "CharCRFEntityExtractor", 0.9)])  # the deferral
    [message] = DurationExtractor().process([message])
    [processed] = EntityResolver().process([message])
    assert [(text[e["start"]:e["end"]], e["value"]) for e in processed.get(ENTITIES)] == [("两个多月", 60)]


@pytest.mark.parametrize("text", ["某某融资租赁有限公司搞以租代购", "我要去告某某小贷"])
def test_a_loan_type_inside_a_company_name_is_dropped(text):
    word = "融资租赁" if "融资租赁" in text else "小贷"
    start = text.index(word)
    kept = resolve([_e(start, start + len(word), "loan_type", "SpacyEntityExtractor")], text)
    assert kept == []


def test_a_generic_lender_description_keeps_its_loan_type():
    text = "车贷公司乱收费"
    kept = resolve([_e(0, 2, "loan_type", "SpacyEntityExtractor")], text)
    assert [e["entity"] for e in kept] == ["loan_type"]


def test_case_numbers_come_from_the_regex_only():
    kept = resolve([_e(0, 3, "case_id", "CharCRFEntityExtractor", 0.9), _e(4, 17, "case_id", "RegexEntityExtractor")])
    assert [(e["start"], e["extractor"]) for e in kept] == [(4, "RegexEntityExtractor")]


def test_behaviour_patterns_and_ruler_terms_both_count_and_the_longer_span_wins():
    kept = resolve([_e(4, 6, "harassment_type", "SpacyEntityExtractor"), _e(2, 8, "harassment_type", "BehaviourExtractor"),
                    _e(9, 11, "harassment_type", "CharCRFEntityExtractor", 0.99)])
    assert [(e["start"], e["end"]) for e in kept] == [(2, 8)]


def test_a_clock_time_swallows_the_word_and_diets_fragment_inside_it():
    kept = resolve([_e(0, 2, "time_of_day", "SpacyEntityExtractor"), _e(2, 5, "time_of_day", "CharCRFEntityExtractor", 0.9),
                    _e(0, 5, "time_of_day", "ClockTimeExtractor")])
    assert [(e["start"], e["end"]) for e in kept] == [(0, 5)]
