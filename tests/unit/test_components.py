"""The custom NLU components on Rasa Message objects."""

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.chinese import CaseEditClassifier, CrisisGuard, NoContentGuard, ShortReplyClassifier, TextNormalizer


def _classified(text, intent="greet"):
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": 0.9}, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 0.9}], add_to_output=True)
    return message


def test_normalizer_converts_traditional_at_training_and_inference():
    normalizer = TextNormalizer()
    data = TrainingData([Message(data={TEXT: "我要投訴這個網貸平台", INTENT: "complain_platform"})])
    normalizer.process_training_data(data)
    assert data.training_examples[0].get(TEXT) == "我要投诉这个网贷平台"
    [message] = normalizer.process([Message(data={TEXT: "催收電話騷擾"})])
    assert message.get(TEXT) == "催收电话骚扰"


@pytest.mark.parametrize(
    "text",
    [
        "我不想活了", "活不下去了", "欠這麼多還不如死了", "想跳楼", "好絕望 誰能救救我", "站在楼顶 不知道该怎么办",
        "每天晚上一个人躲着哭", "这些事不知道能跟谁说", "憋了好久 没有人可以倾诉",
        # farewells and means (patterns in lexicon/crisis.yml)
        "药都买好了 就这样吧", "对不起爸妈 我先走了", "對不起老婆孩子，下輩子再還", "安眠药已经攒够了", "今晚准备好绳子了",
        # warning signs: burden, last words, no way out, affairs put in order
        "我就是个累赘", "没有我 家里人会过得更好", "这是最后一次和你们聊天了", "我对不起大家",
        "已經無路可走了", "天台上站了一个小时", "把保险受益人换成了我儿子", "支付宝密码交给我哥了",
        "这是我最后一次上线了", "以后你替我照顾好爸妈", "积蓄都转给我姐了", "把狗托付给邻居了", "活著好累",
    ],
)
def test_crisis_guard_overrides_any_intent(text):
    [message] = CrisisGuard().process([_classified(text, "negotiate_repayment")])
    assert message.get(INTENT) == {"name": "express_distress", "confidence": 1.0}
    ranking = message.get(INTENT_RANKING_KEY)
    assert ranking[0]["name"] == "express_distress" and ranking[1]["name"] == "negotiate_repayment"


def _ranked(text, ranking):
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": ranking[0][0], "confidence": ranking[0][1]})
    message.set(INTENT_RANKING_KEY, [{"name": n, "confidence": c} for n, c in ranking])
    return message


def test_crisis_guard_acts_on_a_distress_ranking_above_its_threshold():
    ranking = [("thank", 0.7), ("express_distress", 0.12), ("goodbye", 0.1)]
    [message] = CrisisGuard(ranking_threshold=0.1).process([_ranked("今天就聊到这吧", ranking)])
    assert message.get(INTENT) == {"name": "express_distress", "confidence": 1.0}
    [message] = CrisisGuard(ranking_threshold=0.15).process([_ranked("今天就聊到这吧", ranking)])
    assert message.get(INTENT)["name"] == "thank"
    [message] = CrisisGuard().process([_ranked("今天就聊到这吧", ranking)])  # no threshold configured
    assert message.get(INTENT)["name"] == "thank"


def test_crisis_guard_takes_its_threshold_from_the_pipeline_config():
    guard = CrisisGuard.create({"ranking_threshold": 0.1, "ranking_min_chars": 8}, None, None, None)
    assert (guard.ranking_threshold, guard.ranking_min_chars) == (0.1, 8)
    assert CrisisGuard.create({}, None, None, None).ranking_threshold is None


def test_crisis_guard_ignores_the_ranking_of_a_short_message():
    ranking = [("stop", 0.6), ("express_distress", 0.2)]
    guard = CrisisGuard(ranking_threshold=0.1, ranking_min_chars=8)
    assert guard.process([_ranked("不聊了，结束吧", ranking)])[0].get(INTENT)["name"] == "stop"
    assert guard.process([_ranked("不聊了，今天就到这里结束吧", ranking)])[0].get(INTENT)["name"] == "express_distress"
    assert guard.process([_ranked("不想活了", ranking)])[0].get(INTENT)["name"] == "express_distress"  # the lexicon


def _tier_of(text, ranking, guard=None):
    guard = guard or CrisisGuard(ranking_threshold=0.3, check_in_threshold=0.15, ranking_min_chars=8)
    [message] = guard.process([_ranked(text, ranking)])
    return message.get(INTENT)["name"], message.get("distress")


def test_an_uncertain_distress_ranking_gets_a_check_in_and_keeps_the_intent():
    """Ranked between the check-in and the crisis threshold: one line, the form goes on."""
    assert _tier_of("每天一睁眼就是还款提醒，烦得不行", [("negotiate_repayment", 0.6), ("express_distress", 0.2)]) \
        == ("negotiate_repayment", "check_in")
    assert _tier_of("每天一睁眼就是还款提醒，烦得不行", [("negotiate_repayment", 0.6), ("express_distress", 0.35)]) \
        == ("express_distress", None)
    assert _tier_of("每天一睁眼就是还款提醒，烦得不行", [("negotiate_repayment", 0.9), ("express_distress", 0.1)]) \
        == ("negotiate_repayment", None)


def test_distress_that_won_below_the_crisis_threshold_is_demoted_to_the_next_intent():
    assert _tier_of("信写完了交到哪", [("express_distress", 0.26), ("ask_complaint_channels", 0.25)]) \
        == ("ask_complaint_channels", "check_in")
    # won at the crisis threshold: the full reply, however short the message
    assert _tier_of("不想醒了", [("express_distress", 0.7), ("inform", 0.1)]) == ("express_distress", None)


@pytest.mark.parametrize("text", ["？？我没想死啊", "放心，我不会自杀的", "我只是随口一说，不是要寻短见"])
def test_a_negated_crisis_phrase_gets_a_check_in_not_the_crisis_reply(text):
    assert _tier_of(text, [("deny", 0.8), ("express_distress", 0.05)]) == ("deny", "check_in")


@pytest.mark.parametrize("text", ["房租都交不起了，这个月吃饭只剩三百块", "住我姐家，没有房租，就是工资太低"])
def test_money_hardship_alone_is_no_distress_signal(text):
    assert _tier_of(text, [("negotiate_repayment", 0.8), ("express_distress", 0.05)]) == ("negotiate_repayment", None)


@pytest.mark.parametrize("text", ["刚打了12356，一直没人接", "心理援助热线打不通怎么办"])
def test_an_unanswered_crisis_line_is_a_crisis_with_its_own_tier(text):
    assert _tier_of(text, [("nlu_fallback", 0.8)]) == ("express_distress", "line_unanswered")


def test_without_thresholds_a_distress_the_classifier_chose_stays_a_crisis():
    assert _tier_of("写不下去了", [("express_distress", 0.2), ("inform", 0.1)], CrisisGuard()) == ("express_distress", None)


def test_crisis_guard_ranking_needs_content():
    [message] = CrisisGuard(ranking_threshold=0.1).process([_ranked("😭😭", [("nlu_fallback", 1.0), ("express_distress", 0.4)])])
    assert message.get(INTENT)["name"] == "nlu_fallback"  # emoji alone: the fallback asks


@pytest.mark.parametrize(
    "text, intent",
    [
        ("催收骂我让我去死", "report_harassment"),
        ("我先走了 拜拜", "goodbye"),
        ("对不起 我先走了", "goodbye"),
        ("药费太贵了 医院的钱还没还", "negotiate_repayment"),
        ("最后一次还款是上个月", "inform"),
        ("保险受益人是谁", "out_of_scope"),
        ("对不起 打扰了", "goodbye"),
        ("忘记密码了 怎么登录app", "complain_platform"),
        ("合同里的GPS费签的时候根本没人说", "complain_platform"),
    ],
)
def test_crisis_guard_leaves_other_messages_alone(text, intent):
    [message] = CrisisGuard().process([_classified(text, intent)])
    assert message.get(INTENT)["name"] == intent


@pytest.mark.parametrize("text", ["", "😭😭😭", "？？？", "   "])
def test_no_content_guard_sends_empty_and_emoji_to_fallback(text):
    [message] = NoContentGuard().process([_classified(text, "stop")])
    assert message.get(INTENT)["name"] == "nlu_fallback"


def test_no_content_guard_keeps_real_text():
    [message] = NoContentGuard().process([_classified("你好😊")])
    assert message.get(INTENT)["name"] == "greet"


@pytest.mark.parametrize(
    "text, intent",
    [("好", "affirm"), ("好的呀", "affirm"), ("OK!", "affirm"), ("對的", "affirm"), ("嗯嗯", "affirm"),
     ("不用了", "deny"), ("No", "deny"), ("不要啦", "deny"), ("不是的", "deny"),
     ("确定删除", "affirm"), ("不知道", "inform"), ("不清楚啊", "inform"), ("記不清了", "inform"),
     ("1234", "inform"), ("１２３４", "inform"), ("138 1234 5678", "inform"), ("52000。", "inform"),
     ("88", "goodbye"), ("886", "goodbye")],
)
def test_short_reply_classifier_reads_whole_message_yes_no_and_dont_know(text, intent):
    [message] = ShortReplyClassifier().process([_classified(text, "greet")])
    assert message.get(INTENT) == {"name": intent, "confidence": 1.0}


@pytest.mark.parametrize("text", ["好的，那我想问一下征信", "不还钱会坐牢吗", "我不要分期", "不知道怎么办", "尾号5678", "欠了52000"])
def test_short_reply_classifier_leaves_longer_messages_alone(text):
    [message] = ShortReplyClassifier().process([_classified(text, "ask_credit_report")])
    assert message.get(INTENT)["name"] == "ask_credit_report"


@pytest.mark.parametrize(
    "text",
    [
        "补充一下，昨天催收又给我单位打电话了",
        "有新情況，催收今天跑到我老家去了，請幫我加進案件",
        "再加一条：今天下午三点有人上门了",
        "刚刚他们又冒充警察打来，帮我补充到原本那个案件里",
        "我的城市填错了，是江苏苏州不是无锡",
        "之前记录里逾期写的是一个月 改成45天",
        "把我记录里的借款金额改成1.2万，之前记成12万了",
        "上次记录的城市不对，我在佛山不是广州",
        "案子先别关，他们又开始轰炸我电话了",
        "借款金额填错了，是三万五",
        "城市改一下，我现在在杭州",
        "逾期时间更新成一百天",
        "再加一个平台，安逸花也在爆我通讯录",
        "晚上他们又上门了，帮我补进去",
        "钱已经退了，结案吧",
        "TS-2611-7K3QX里的金额是总欠款，改一下",
    ],
)
def test_case_edit_classifier_reads_news_for_a_recorded_case_as_update_case(text):
    [message] = CaseEditClassifier().process([_classified(text, "report_harassment")])
    assert message.get(INTENT) == {"name": "update_case", "confidence": 1.0}
    assert [entry["name"] for entry in message.get(INTENT_RANKING_KEY)] == ["update_case", "report_harassment"]


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("催收又给我单位打电话了", "report_harassment"),  # no word about a case: a report
        ("上次那个案子结案了吗", "check_case_status"),  # a question
        ("把138****5678改成完整的13812345678", "include_contact_details"),
        ("车贷月供4300扛不住了，能不能改成每月两千把期数拉长", "negotiate_repayment"),
        ("保险受益人已经改成我女儿了", "express_distress"),
        ("征信报告记录错了，怎么申请更正", "ask_credit_report"),
        ("我的工单还开着吗还是已经关掉了", "check_case_status"),
        ("把相关的聊天记录都删了", "delete_my_data"),
        ("征信上显示的逾期金额不对，多了两千", "ask_credit_report"),
        ("还完款平台没及时更新状态，害我被拒贷", "complain_platform"),
        ("这事关系到我以后能不能贷款，征信会不会受影响", "ask_credit_report"),
        ("帮我看下信里写的内容对不对", "check_case_status"),
    ],
)
def test_case_edit_classifier_leaves_other_messages_alone(text, intent):
    [message] = CaseEditClassifier().process([_classified(text, intent)])
    assert message.get(INTENT)["name"] == intent
