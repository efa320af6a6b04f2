import pytest

from borrower.lexicon import Lexicon, lexicon


def test_find_returns_canonical_entries_in_order_of_mention():
    found = lexicon().find("催收半夜打電話，還爆我通訊錄，冒充警察", "harassment_type")
    assert [entry.id for entry in found] == ["third_party_contact", "impersonation"]
    assert [entry.id for entry in lexicon().find("半夜打電話", "time_of_day")] == ["night"]


def test_longest_term_wins():
    # "平安普惠" is a platform; "平安银行" another one; neither is read as the other.
    assert lexicon().canonical("我在平安普惠借的", "platform").id == "pingan_puhui"
    assert lexicon().canonical("平安银行信用卡", "platform").id == "pingan_bank"


def test_canonical_is_none_without_a_term():
    assert lexicon().canonical("一家不知名的公司", "platform") is None


def test_crisis_phrases_in_both_scripts():
    assert lexicon().mentions_crisis("我真的不想活了")
    assert lexicon().mentions_crisis("活不下去了，還不如死了")
    assert not lexicon().mentions_crisis("催收骂我让我去死")  # a threat, handled as harassment
    assert not lexicon().mentions_crisis("")


def test_a_question_about_others_credit_is_not_a_burden_signal():
    assert lexicon().mentions_crisis("我不想再连累家人了")
    assert not lexicon().mentions_crisis("我逾期了会不会连累我爸的征信")


def test_crisis_lexicon_catches_every_distress_example_of_the_training_data():
    """lexicon/crisis.yml promises it was checked against the training data: every
    express_distress example is caught, and of the other intents only the two known negotiation
    messages (「以贷养贷撑不下去了」) raise an alarm."""
    from bench.nlu import load_training_examples

    examples = load_training_examples()
    missed = [e.text for e in examples if e.intent == "express_distress" and not lexicon().mentions_crisis(e.text)]
    alarms = [e.text for e in examples if e.intent != "express_distress" and lexicon().mentions_crisis(e.text)]
    assert missed == []
    assert len(alarms) == 2 and all("以贷养贷撑不下去了" in text for text in alarms), alarms


def test_content_strips_fillers_and_terms():
    assert lexicon().content("我要投诉这个网贷平台") == ""
    assert lexicon().content("我要投诉平安普惠乱收费") == "乱收费"


def test_every_entry_has_a_unique_id_per_label():
    ids = [(entry.label, entry.id) for entry in lexicon().entries]
    assert len(ids) == len(set(ids))


def test_jieba_words_and_ruler_patterns_cover_every_term():
    lex = Lexicon.from_dir()
    patterns = {(p["label"], p["pattern"]) for p in lex.ruler_patterns()}
    for entry in lex.entries:
        for term in entry.terms:
            assert (entry.label, term.lower()) in patterns
    assert "爆通讯录" in lex.jieba_words()


def test_cues_signal_a_behaviour_but_are_not_entity_spans():
    lex = lexicon()
    assert [e.id for e in lex.find("催收天天找我亲戚同事", "harassment_type")] == ["third_party_contact"]
    patterns = {p["pattern"] for p in lex.ruler_patterns()}
    assert "亲戚" not in patterns and "打给我家人" in patterns


@pytest.mark.parametrize("cue, kind", [("律师函", "impersonation"), ("脏话", "insults"), ("遗照", "doctored_photos"),
                                       ("家族群", "privacy_leak"), ("拖车费", "forced_towing")])
def test_words_that_name_no_act_are_cues(cue, kind):
    # 「收到律师函了」「遗照」「家族群」 alone describe no collector's act: no span, but the
    # behaviour is still signalled to the advice
    lex = lexicon()
    assert cue not in {p["pattern"] for p in lex.ruler_patterns()}
    assert [e.id for e in lex.find(f"说到{cue}", "harassment_type")] == [kind]


def test_jieba_keeps_terms_with_latin_letters_whole_in_either_case():
    import jieba

    from borrower.lexicon import install_jieba_dictionary

    install_jieba_dictionary()
    assert "P图" in jieba.lcut("催收P图发给我亲戚")
    assert "p图" in jieba.lcut("催收p图发给我亲戚")
    assert "P成遗照" in jieba.lcut("把我的照片P成遗照")


@pytest.mark.parametrize(
    "text, spans",
    [
        ("他们居然打电话给我妈", [("打电话给我妈", "third_party_contact")]),
        ("催收可以联系我家人吗", [("联系我家人", "third_party_contact")]),
        ("催收给我通讯录所有人发短信", [("给我通讯录所有人发短信", "third_party_contact")]),
        ("他们打到我单位去了", [("打到我单位", "third_party_contact")]),
        ("他们跑到我老家找我要钱", [("跑到我老家找我", "home_visit")]),
        ("把我照片P成遗照发到家族群里", [("P成遗照", "doctored_photos"), ("发到家族群里", "privacy_leak")]),
        ("催收冒充律师事务所的人", [("冒充律师事务所", "impersonation")]),
        ("对方自称是法院工作人员", [("自称是法院工作人员", "impersonation")]),
        ("一天打几十个电话", [("一天打几十个电话", "call_bombing")]),
        ("催收說要抓我去坐牢", [("抓我去坐牢", "threats")]),
        # the span runs from the verb (or a medium / manner word before it) to whom it targeted
        ("他们给我单位打电话", [("给我单位打电话", "third_party_contact")]),
        ("催收可以打我家人电话吗", [("打我家人电话", "third_party_contact")]),
        ("外包催收加我家人微信", [("加我家人微信", "third_party_contact")]),
        ("才欠八百就爆了我的通讯录", [("爆了我的通讯录", "third_party_contact")]),
        ("還恐嚇我家人", [("恐嚇我家人", "threats")]),
        ("他们骂我的语音怎么保存", [("骂我", "insults")]),
        ("收到短信辱骂", [("短信辱骂", "insults")]),
        ("凌晨三点狂打我电话", [("狂打我电话", "call_bombing")]),
        ("轰炸式打电话", [("轰炸式打电话", "call_bombing")]),
        ("说要上门查封", [("上门查封", "home_visit")]),
        ("催收能不能去我公司找领导", [("去我公司找领导", "home_visit")]),
        ("在朋友圈曝光我", [("曝光我", "privacy_leak")]),
        ("还发我身份证照片", [("发我身份证照片", "privacy_leak")]),
        ("催收P了我的遗照", [("P了我的遗照", "doctored_photos")]),
        ("每天狂发短信", [("狂发短信", "call_bombing")]),
        ("一天打了两百多个电话", [("一天打了两百多个电话", "call_bombing")]),
        ("催收可以去我公司找主管吗", [("去我公司找主管", "home_visit")]),
        # several people, and who they were to the borrower, stay in one span
        ("打给了我妈和我舅舅", [("打给了我妈和我舅舅", "third_party_contact")]),
        ("他们加了我表哥表姐的微信", [("加了我表哥表姐的微信", "third_party_contact")]),
        ("联系我填的紧急联系人", [("联系我填的紧急联系人", "third_party_contact")]),
        ("打了我姐的电话，还有我两个同事", [("打了我姐的电话", "third_party_contact")]),
        # a call to the workplace is contact, not a visit
        ("打电话到我单位找我领导", [("打电话到我单位找我领导", "third_party_contact")]),
        ("跑到我上班的地方，当着同事吵", [("跑到我上班的地方", "home_visit")]),
        ("强行拖走我的车", [("强行拖走我的车", "forced_towing")]),
        ("發了我的身份證正反面", [("發了我的身份證正反面", "privacy_leak")]),
        ("发到我们家亲戚群", [("发到我们家亲戚群", "privacy_leak")]),
        ("从早到晚打个不停", [("打个不停", "call_bombing")]),
        ("他们在电话里辱骂我", [("辱骂我", "insults")]),
        # not collection behaviour
        ("我找了朋友借钱", []),
        ("欠钱会被抓去坐牢吗", []),
        ("app图标点不开", []),
        ("催收给我打电话要钱", []),
        ("我朋友圈发了条动态", []),
    ],
)
def test_behaviour_patterns(text, spans):


    assert [(text[a:b], entry.id) for a, b, entry in lexicon().behaviour_spans(text)] == spans


def test_behaviour_patterns_feed_find():


    assert [e.id for e in lexicon().find("他们联系了我同事，还上门了", "harassment_type")] == [
        "third_party_contact", "home_visit"]


def test_a_behaviour_pattern_for_an_unknown_id_is_refused():


    with pytest.raises(ValueError, match="no_such_behaviour"):
        Lexicon(lexicon().entries, [], behaviours={"behaviours": {"no_such_behaviour": ["x"]}})


@pytest.mark.parametrize("word", ["金融监管总局", "互金协会", "停息挂账", "银保监局"])
def test_jieba_keeps_regulators_and_legal_words_whole(word):
    import jieba

    from borrower.lexicon import install_jieba_dictionary

    install_jieba_dictionary()
    assert word in jieba.lcut(f"我想去{word}那边问问")
