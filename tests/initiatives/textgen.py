"""Synthetic Vietnamese initiative texts and the edits people make to them, for similarity tests.

Phrases are drawn with Zipf-like weights from a shared vocabulary plus one topic's, and
boilerplate phrases every initiative uses are mixed in: two texts on the same topic share words
and stock phrases, as real ones do, which is what a near-duplicate search must not mistake for
copying.
"""

import random


def _phrases(text: str) -> list[str]:
    return [phrase.strip() for phrase in text.split(",")]


COMMON = _phrases(
    "và, của, cho, các, những, được, trong, với, để, từ, theo, khi, đã, sẽ, là, có, không, "
    "một, hai, ba, nhiều, người lao động, công nhân, đơn vị, sản xuất, thời gian, chi phí, "
    "hiệu quả, chất lượng, an toàn, quy trình, hệ thống, thiết bị, vận hành, kiểm tra, giảm, "
    "tăng, nâng cao, cải tiến, áp dụng, thực hiện, trước đây, sau khi, hiện nay, mới, cũ, "
    "tổ sản xuất, ca làm việc, mỗi ngày, mỗi tháng, phần trăm, số lần, giờ, phút, công việc"
)
# Phrases, not syllables: texts on one topic share "đồ gá hàn", "máy hàn" as real ones do.
TOPICS = {
    name: _phrases(phrases)
    for name, phrases in {
        "hàn": "đồ gá hàn, mối hàn, que hàn, máy hàn, định vị, khung thép, tấm kim loại, lắp ráp, "
        "chi tiết, phôi, biến dạng, nhiệt độ, dòng điện, hồ quang, xỉ hàn, mài, đánh bóng, "
        "bu lông, kẹp nhanh, thời gian lắp ráp",
        "điện": "tủ điện, cầu dao, dây cáp, công tơ, trạm biến áp, điện năng, tiết kiệm điện, "
        "chiếu sáng, đèn led, cảm biến, rơ le, động cơ, biến tần, công suất, sụt áp, tiếp địa, "
        "aptomat, hóa đơn tiền điện",
        "dệt": "máy may, sợi, vải, cắt rập, đường may, kim chỉ, chuyền may, đóng gói, nhãn mác, "
        "cổ áo, tay áo, là ủi, hoàn thiện, lỗi vải, khổ vải, bàn cắt",
        "nước": "máy bơm, đường ống, van xả, bể lọc, xử lý nước thải, bùn, hóa chất, áp lực, "
        "rò rỉ, đồng hồ nước, tuần hoàn, làm mát, tháp giải nhiệt",
        "kho": "kho hàng, kệ, pallet, xe nâng, mã vạch, phiếu xuất, phiếu nhập, tồn kho, kiểm kê, "
        "vị trí, sắp xếp, lối đi, bốc dỡ, băng tải, thùng carton",
        "phần mềm": "phần mềm, dữ liệu, báo cáo, biểu mẫu, trực tuyến, máy tính, mạng nội bộ, "
        "tự động, tra cứu, lưu trữ, số hóa, chữ ký số, quản lý hồ sơ, bảng tính",
    }.items()
}
BOILERPLATE = [
    "nhằm nâng cao năng suất lao động",
    "giảm chi phí sản xuất cho doanh nghiệp",
    "đảm bảo an toàn cho người lao động",
    "đã được áp dụng thực tế tại đơn vị",
    "mang lại hiệu quả kinh tế rõ rệt",
]


def _weights(n: int) -> list[float]:
    return [1 / (rank + 1) ** 0.7 for rank in range(n)]


def sentence(rng: random.Random, topic: str) -> list[str]:
    """5 to 11 phrases (about 8 to 18 words); every third sentence carries a stock phrase."""
    vocabulary = TOPICS[topic] + COMMON
    weights = _weights(len(TOPICS[topic])) + _weights(len(COMMON))
    phrases = rng.choices(vocabulary, weights=weights, k=rng.randint(5, 11))
    if rng.random() < 0.35:
        phrases.append(rng.choice(BOILERPLATE))
    return " ".join(phrases).split()


def text(rng: random.Random, topic: str, n_words: int = 150) -> list[list[str]]:
    """A text as sentences of words, about `n_words` long."""
    sentences: list[list[str]] = []
    while sum(map(len, sentences)) < n_words:
        sentences.append(sentence(rng, topic))
    return sentences


def render(sentences: list[list[str]]) -> str:
    return " ".join(" ".join(s).capitalize() + "." for s in sentences)


def change_words(rng: random.Random, sentences, n: int, topic: str):
    """`n` words replaced by other words at random places."""
    flat = [(i, j) for i, s in enumerate(sentences) for j in range(len(s))]
    copy = [list(s) for s in sentences]
    for i, j in rng.sample(flat, n):
        copy[i][j] = rng.choice(TOPICS[topic] + COMMON).split()[0]
    return copy


def add_sentence(rng: random.Random, sentences, topic: str):
    copy = [list(s) for s in sentences]
    copy.insert(rng.randrange(len(copy) + 1), sentence(rng, topic))
    return copy


def drop_sentence(rng: random.Random, sentences):
    copy = [list(s) for s in sentences]
    del copy[rng.randrange(len(copy))]
    return copy


def swap_sentences(rng: random.Random, sentences):
    copy = [list(s) for s in sentences]
    i, j = rng.sample(range(len(copy)), 2)
    copy[i], copy[j] = copy[j], copy[i]
    return copy


def retype(rng: random.Random, rendered: str) -> str:
    """The same text typed differently: no accents, other case, other punctuation and spacing."""
    from sangkien.common.text import fold

    out = fold(rendered).upper() if rng.random() < 0.5 else fold(rendered)
    return out.replace(". ", " ;  ").replace(" ", "  ", 3) + " !!!"
