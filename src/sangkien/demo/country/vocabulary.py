"""Vietnamese word lists for generated initiatives: topics with their objects, processes, places
and problems, sentence templates per part of a description, titles, and people's names.

Everything here is data. `texts.py` draws from it; the draws decide how varied the national-size
dataset is (see the module docstring there).
"""


def _split(text: str) -> list[str]:
    return [item.strip() for item in text.split("|") if item.strip()]


# One topic per trade or field. Slots: obj (equipment, document), proc (the work), place (where),
# prob (what went wrong), means (what the initiative uses), goal (what it aims at), actor (who
# works there), unit (what one piece of work is counted in), cost (what money was spent on).
TOPICS: dict[str, dict[str, list[str]]] = {
    name: {slot: _split(values) for slot, values in slots.items()}
    for name, slots in {
        "co-khi": {
            "obj": "đồ gá hàn|khuôn dập|máy tiện|máy phay CNC|bàn kẹp phôi|cơ cấu cấp phôi|trục cán|"
            "băng tải con lăn|dao cắt|máy mài hai đá|máy uốn ống|cầu trục dầm đơn",
            "proc": "gia công chi tiết trục|hàn khung xe|lắp ráp cụm bánh răng|dập vỏ tủ điện|"
            "cắt phôi thép tấm|mài bavia sau đúc|kiểm tra kích thước chi tiết|uốn ống dẫn dầu|"
            "sơn tĩnh điện vỏ máy|thay khuôn trên máy ép",
            "place": "phân xưởng cơ khí|tổ gia công áp lực|xưởng hàn|dây chuyền lắp ráp số 2|"
            "nhà máy chế tạo kết cấu thép|tổ sửa chữa thiết bị|xưởng sơn",
            "prob": "sai lệch kích thước|biến dạng mối hàn|thời gian chờ phôi kéo dài|"
            "tỷ lệ phế phẩm cao|hao mòn dao cụ nhanh|kẹt phôi khi cấp liệu|rung động khi cắt gọt",
            "means": "cơ cấu kẹp bằng khí nén|dưỡng kiểm tra nhanh|bộ định vị bằng chốt côn|"
            "cảm biến tiệm cận|chương trình gia công mới|tay máy gắp phôi tự chế|"
            "bàn xoay định vị góc",
            "goal": "định vị phôi chính xác|rút ngắn thời gian thay khuôn|giảm phế phẩm|"
            "tăng tuổi thọ dao cụ|giảm sức lao động khi nâng hạ phôi",
            "actor": "công nhân|thợ hàn|thợ vận hành máy|tổ trưởng sản xuất",
            "unit": "chi tiết|sản phẩm|ca làm việc|lô hàng",
            "cost": "vật tư tiêu hao|điện năng|phôi thép|dao cụ",
        },
        "dien": {
            "obj": "tủ điều khiển|biến tần|hệ thống chiếu sáng|máy nén khí|trạm biến áp|động cơ bơm|"
            "tụ bù công suất|máy phát dự phòng|đồng hồ đo điện đa năng|cáp động lực",
            "proc": "vận hành máy nén khí|chiếu sáng nhà xưởng|khởi động động cơ công suất lớn|"
            "theo dõi điện năng tiêu thụ|bảo dưỡng trạm biến áp|kiểm tra tiếp địa|"
            "đóng cắt nguồn dự phòng|sửa chữa động cơ điện",
            "place": "trạm bơm|phân xưởng điện|khu vực nhà kho|tổ vận hành điện|trạm khí nén|"
            "phòng điều khiển trung tâm",
            "prob": "tiêu thụ điện lớn|sụt áp khi khởi động|quá nhiệt tủ điện|sự cố mất pha|"
            "hóa đơn tiền điện tăng cao|đèn cháy hỏng thường xuyên|máy chạy không tải kéo dài",
            "means": "bộ hẹn giờ|cảm biến ánh sáng|đèn LED công suất thấp|"
            "biến tần điều khiển theo áp suất|phần mềm giám sát điện năng|rơ le bảo vệ mất pha|"
            "quạt thông gió tự động",
            "goal": "tiết kiệm điện năng|bảo vệ động cơ|giảm sự cố mất điện|"
            "cảnh báo sớm quá tải|giảm thời gian xử lý sự cố",
            "actor": "thợ điện|công nhân vận hành|kỹ thuật viên|trưởng ca",
            "unit": "ca làm việc|ngày|tháng|lần sự cố",
            "cost": "tiền điện|vật tư điện|sửa chữa thiết bị",
        },
        "det-may": {
            "obj": "máy may một kim|rập cắt|bàn là hơi|cữ may|băng chuyền treo|máy cắt tự động|"
            "máy vắt sổ|máy ép đế|bàn kiểm vải|xe đẩy bán thành phẩm",
            "proc": "may cổ áo|cắt bán thành phẩm|là ủi thành phẩm|đóng gói hàng xuất khẩu|"
            "kiểm hàng cuối chuyền|dán đế giày|may túi quần|trải vải|đánh số bán thành phẩm",
            "place": "chuyền may số 5|tổ cắt|xưởng hoàn thiện|phân xưởng đế|chuyền may số 12|"
            "tổ kiểm hóa|kho phụ liệu",
            "prob": "đường may bị nhăn|tỷ lệ hàng lỗi|thao tác thừa|công nhân phải đứng lâu|"
            "vải thừa nhiều|lệch màu giữa các lô|ùn ứ bán thành phẩm",
            "means": "cữ gấp mép|rập nhựa cứng|bàn thao tác điều chỉnh độ cao|"
            "bảng theo dõi năng suất điện tử|sơ đồ giác mẫu tối ưu|kẹp giữ vải tự chế|"
            "đèn soi lỗi vải",
            "goal": "giảm thao tác thừa|tiết kiệm vải|giảm hàng lỗi|cân bằng chuyền|"
            "giảm mệt mỏi cho công nhân",
            "actor": "công nhân may|tổ trưởng chuyền|nhân viên kiểm hàng|thợ cắt",
            "unit": "sản phẩm|giờ|ca làm việc|đơn hàng",
            "cost": "vải|phụ liệu|làm thêm giờ",
        },
        "kho-van": {
            "obj": "kệ hàng|xe nâng|mã vạch|phiếu xuất kho|pallet|băng tải|xe đẩy hàng|"
            "container|thẻ kho|máy quét cầm tay",
            "proc": "xuất nhập kho|kiểm kê hàng hóa|bốc xếp hàng|giao nhận hàng|"
            "sắp xếp vị trí hàng|điều phối xe|đóng gói đơn hàng",
            "place": "kho thành phẩm|kho nguyên liệu|bãi container|trung tâm phân phối|"
            "kho vật tư|cảng cạn",
            "prob": "tìm hàng mất thời gian|sai lệch tồn kho|hư hỏng bao bì|xe phải chờ lâu|"
            "giao nhầm hàng|quá tải vào cuối tháng",
            "means": "mã QR|phần mềm quản lý kho|sơ đồ vị trí theo màu|giá kệ di động|"
            "lịch hẹn nhận hàng trực tuyến|bảng điện tử báo vị trí",
            "goal": "tìm hàng nhanh|giảm sai lệch tồn kho|giải phóng xe nhanh|"
            "tận dụng diện tích kho",
            "actor": "nhân viên kho|công nhân bốc xếp|lái xe nâng|thủ kho",
            "unit": "phiếu|xe hàng|đơn hàng|ngày",
            "cost": "bốc xếp|thuê kho|nhiên liệu",
        },
        "moi-truong": {
            "obj": "hệ thống xử lý nước thải|máy bơm|bể lắng|tháp giải nhiệt|đường ống|lò hơi|"
            "máy ép bùn|quạt hút bụi|bể chứa nước mưa",
            "proc": "xử lý nước thải|tuần hoàn nước làm mát|thu gom chất thải rắn|vận hành lò hơi|"
            "phân loại rác tại nguồn|xử lý khí thải|làm sạch đường ống",
            "place": "trạm xử lý nước thải|khu lò hơi|nhà máy nước|khu vực sản xuất|"
            "khu tập kết chất thải",
            "prob": "lãng phí nước|chi phí hóa chất cao|mùi hôi|bùn thải nhiều|rò rỉ đường ống|"
            "nồng độ bụi vượt mức cho phép",
            "means": "van phao tự động|bể lắng hai ngăn|chế phẩm vi sinh|"
            "bộ trao đổi nhiệt tận dụng nhiệt thải|hệ thống thu hồi nước mưa|"
            "thùng phân loại rác theo màu",
            "goal": "tiết kiệm nước|giảm hóa chất xử lý|bảo vệ môi trường|tận dụng nhiệt thải",
            "actor": "công nhân vận hành|cán bộ môi trường|nhân viên kỹ thuật",
            "unit": "ngày|mét khối nước|tháng|mẻ xử lý",
            "cost": "nước sạch|hóa chất|than đốt lò",
        },
        "thuc-pham": {
            "obj": "máy rửa nguyên liệu|băng chuyền cấp đông|dao fillet|máy đóng gói chân không|"
            "thiết bị sấy|bàn sơ chế inox|máy dò kim loại|kho lạnh",
            "proc": "sơ chế nguyên liệu|cấp đông sản phẩm|đóng gói thành phẩm|sấy nông sản|"
            "vệ sinh dây chuyền|phân cỡ tôm|chế biến cá tra phi lê",
            "place": "xưởng chế biến|phòng cấp đông|tổ sơ chế|phân xưởng đóng gói|"
            "khu tiếp nhận nguyên liệu",
            "prob": "hao hụt nguyên liệu|thời gian cấp đông dài|nguy cơ nhiễm khuẩn chéo|"
            "tiêu tốn nước đá|sản phẩm không đồng đều",
            "means": "khay cấp đông cải tiến|máng dẫn nước tuần hoàn|bàn phân cỡ có vạch chia|"
            "quy trình vệ sinh theo mã màu|cảm biến nhiệt độ không dây",
            "goal": "giảm hao hụt|rút ngắn thời gian cấp đông|bảo đảm an toàn thực phẩm|"
            "tăng năng suất sơ chế",
            "actor": "công nhân chế biến|tổ trưởng sơ chế|nhân viên kiểm tra chất lượng",
            "unit": "tấn nguyên liệu|mẻ|ca làm việc|lô hàng",
            "cost": "nước đá|điện năng|nguyên liệu",
        },
        "xay-dung": {
            "obj": "ván khuôn|giàn giáo|cần trục tháp|máy trộn bê tông|xe vận chuyển vật liệu|"
            "lưới an toàn|máy cắt sắt|cốp pha nhôm",
            "proc": "đổ bê tông sàn|lắp dựng giàn giáo|bảo dưỡng thiết bị thi công|"
            "vận chuyển vật liệu lên cao|gia công cốt thép|nghiệm thu khối lượng",
            "place": "công trường|đội thi công số 3|bãi tập kết vật liệu|xưởng sửa chữa|"
            "ban chỉ huy công trường",
            "prob": "mất an toàn khi làm việc trên cao|hao hụt vật liệu|tiến độ chậm|"
            "sai sót khi nghiệm thu|thiết bị hỏng vặt",
            "means": "móc treo an toàn tự chế|bản vẽ gia công cốt thép trên máy tính|"
            "sổ nhật ký thi công điện tử|cơ cấu nâng vật liệu bằng ròng rọc|"
            "ván khuôn lắp ghép tái sử dụng",
            "goal": "bảo đảm an toàn lao động|giảm hao hụt vật liệu|đẩy nhanh tiến độ",
            "actor": "công nhân xây dựng|đội trưởng thi công|kỹ sư giám sát",
            "unit": "mét khối bê tông|ngày|hạng mục|sàn",
            "cost": "vật liệu|nhân công|thuê thiết bị",
        },
        "khai-thac": {
            "obj": "băng tải than|vì chống lò|máy khoan|quạt gió cục bộ|máng cào|tời trục|"
            "máy xúc lật|đèn lò",
            "proc": "khai thác than lò chợ|vận tải than|thông gió mỏ|khoan nổ mìn|"
            "chống giữ đường lò|sàng tuyển than",
            "place": "phân xưởng khai thác số 4|lò chợ|phân xưởng vận tải|mặt bằng sân công nghiệp|"
            "phân xưởng sàng tuyển",
            "prob": "rơi vãi than|tắc máng cào|nồng độ khí cao|mòn băng tải|"
            "thời gian dừng máy kéo dài",
            "means": "tấm chắn than tự chế|cảm biến khí cảnh báo sớm|con lăn đỡ băng cải tiến|"
            "cơ cấu tháo lắp nhanh|bảng theo dõi thiết bị trên điện thoại",
            "goal": "bảo đảm an toàn hầm lò|giảm rơi vãi|giảm thời gian dừng máy",
            "actor": "thợ lò|công nhân vận tải|thợ cơ điện lò",
            "unit": "tấn than|ca|mét lò|tháng",
            "cost": "vật tư chống lò|sửa chữa băng tải|điện năng",
        },
        "dien-tu": {
            "obj": "jig kiểm tra bo mạch|máy gắp linh kiện|máy hàn thiếc|khay chống tĩnh điện|"
            "máy kiểm tra quang học|tủ sấy linh kiện",
            "proc": "kiểm tra bo mạch|gắn linh kiện dán|hàn thiếc chân linh kiện|"
            "đóng gói sản phẩm điện tử|kiểm tra ngoại quan",
            "place": "dây chuyền SMT|phòng sạch|tổ kiểm tra chất lượng|khu lắp ráp cuối",
            "prob": "lỗi hàn thiếc|linh kiện bị đặt sai|hỏng do tĩnh điện|thời gian đổi mã hàng lâu",
            "means": "đồ gá kiểm tra nhiều điểm|bảng hướng dẫn bằng hình ảnh|"
            "vòng đeo tay chống tĩnh điện có cảnh báo|chương trình đổi mã hàng nhanh",
            "goal": "phát hiện lỗi sớm|giảm hàng hỏng|rút ngắn thời gian đổi mã",
            "actor": "công nhân lắp ráp|kỹ thuật viên|nhân viên kiểm tra",
            "unit": "bo mạch|sản phẩm|ca làm việc|lô",
            "cost": "linh kiện|thiếc hàn|làm lại sản phẩm",
        },
        "hanh-chinh": {
            "obj": "hồ sơ|biểu mẫu|phần mềm quản lý văn bản|chữ ký số|cơ sở dữ liệu|"
            "sổ theo dõi công văn|trang thông tin điện tử|hộp thư góp ý",
            "proc": "tiếp nhận hồ sơ|xử lý văn bản đến|lưu trữ hồ sơ|lập báo cáo định kỳ|"
            "giải quyết thủ tục hành chính|tổng hợp số liệu|trả kết quả cho người dân",
            "place": "bộ phận một cửa|văn phòng|phòng tổ chức hành chính|phòng kế hoạch|"
            "kho lưu trữ|bộ phận tiếp dân",
            "prob": "hồ sơ chậm trễ|tra cứu mất thời gian|in ấn giấy tờ nhiều|sai sót số liệu|"
            "người dân phải đi lại nhiều lần",
            "means": "phần mềm dùng chung|mã QR tra cứu|quy trình điện tử|bảng tính tự động|"
            "nhóm trao đổi công việc trực tuyến|danh mục hồ sơ mẫu",
            "goal": "rút ngắn thời gian xử lý|giảm giấy tờ|công khai minh bạch|"
            "giảm sai sót số liệu",
            "actor": "cán bộ|công chức|chuyên viên|nhân viên văn thư",
            "unit": "hồ sơ|văn bản|báo cáo|ngày",
            "cost": "văn phòng phẩm|in ấn|bưu chính",
        },
        "tai-chinh": {
            "obj": "phần mềm kế toán|chứng từ|báo cáo tài chính|hóa đơn điện tử|bảng lương|"
            "sổ quỹ|hồ sơ thanh toán",
            "proc": "đối chiếu công nợ|lập bảng lương|thanh toán tạm ứng|quyết toán kinh phí|"
            "kiểm kê tài sản|lập dự toán",
            "place": "phòng tài chính kế toán|bộ phận thủ quỹ|ban kiểm soát|phòng kế hoạch tài chính",
            "prob": "chứng từ thất lạc|đối chiếu chậm|sai sót khi nhập liệu|thanh toán kéo dài",
            "means": "mẫu chứng từ điện tử|bảng tính đối chiếu tự động|quy trình thanh toán một đầu mối|"
            "mã hóa danh mục tài sản",
            "goal": "rút ngắn thời gian quyết toán|giảm sai sót|quản lý chặt chẽ tài sản",
            "actor": "kế toán viên|thủ quỹ|cán bộ tài chính",
            "unit": "chứng từ|hồ sơ|kỳ báo cáo|tháng",
            "cost": "in ấn|làm thêm giờ|phí ngân hàng",
        },
        "y-te": {
            "obj": "quy trình tiếp đón người bệnh|phiếu khám|tủ thuốc|hệ thống gọi số|"
            "dụng cụ y tế|bệnh án điện tử|xe đẩy thuốc|máy tiệt khuẩn",
            "proc": "tiếp đón người bệnh|cấp phát thuốc|tiệt khuẩn dụng cụ|chăm sóc người bệnh|"
            "lấy mẫu xét nghiệm|bàn giao ca trực|quản lý hồ sơ bệnh án",
            "place": "khoa khám bệnh|khoa nội|khoa dược|phòng xét nghiệm|trạm y tế xã|"
            "khoa hồi sức cấp cứu",
            "prob": "người bệnh chờ lâu|sai sót cấp phát|quá tải giờ cao điểm|nhiễm khuẩn bệnh viện|"
            "thất lạc kết quả xét nghiệm",
            "means": "phần mềm đặt lịch khám|bảng phân luồng theo màu|tủ thuốc trực có mã vạch|"
            "quy trình bàn giao ca bằng biểu mẫu|tin nhắn trả kết quả",
            "goal": "giảm thời gian chờ|bảo đảm an toàn người bệnh|giảm sai sót chuyên môn",
            "actor": "điều dưỡng|bác sĩ|dược sĩ|kỹ thuật viên xét nghiệm",
            "unit": "lượt khám|ca trực|mẫu xét nghiệm|ngày",
            "cost": "vật tư y tế|hóa chất|in ấn",
        },
        "giao-duc": {
            "obj": "bài giảng điện tử|đồ dùng dạy học|ngân hàng câu hỏi|phòng học bộ môn|"
            "sổ liên lạc điện tử|thư viện số|mô hình học tập",
            "proc": "dạy học môn Toán|ôn tập cho học sinh lớp 9|kiểm tra đánh giá học sinh|"
            "quản lý học sinh bán trú|sinh hoạt chuyên môn|dạy đọc cho học sinh lớp 1|"
            "giáo dục kỹ năng sống",
            "place": "tổ chuyên môn Toán Tin|khối lớp 5|trường tiểu học|thư viện trường|"
            "tổ khoa học xã hội|trường mầm non",
            "prob": "học sinh thiếu hứng thú|thời gian chấm bài lâu|thiếu đồ dùng trực quan|"
            "phụ huynh ít phối hợp|chênh lệch trình độ giữa các lớp",
            "means": "trò chơi học tập|đồ dùng tự làm từ vật liệu tái chế|phần mềm trắc nghiệm|"
            "nhóm học tập theo năng lực|góc học tập mở",
            "goal": "tạo hứng thú học tập|nâng cao chất lượng dạy học|tăng cường phối hợp với phụ huynh",
            "actor": "giáo viên|cán bộ quản lý|nhân viên thư viện",
            "unit": "tiết học|bài kiểm tra|học kỳ|lớp",
            "cost": "mua sắm đồ dùng|in ấn đề kiểm tra|văn phòng phẩm",
        },
        "cong-doan": {
            "obj": "sổ tay đoàn viên điện tử|quỹ tương trợ|bữa ăn ca|nhà trọ công nhân|"
            "chương trình Tết Sum vầy|hội thi tay nghề|tủ sách pháp luật|kênh tiếp nhận ý kiến",
            "proc": "phát triển đoàn viên|thu đoàn phí|tổ chức đối thoại tại nơi làm việc|"
            "chăm lo đời sống đoàn viên|tuyên truyền pháp luật lao động|thương lượng tập thể|"
            "tổ chức phong trào thi đua",
            "place": "công đoàn bộ phận|tổ công đoàn|khu nhà trọ|nhà văn hóa công nhân|"
            "công đoàn cơ sở thành viên",
            "prob": "đoàn viên ít tham gia|thông tin đến chậm|khó nắm bắt tâm tư người lao động|"
            "thu đoàn phí chậm|tranh chấp lao động kéo dài",
            "means": "nhóm trò chuyện của tổ công đoàn|hòm thư điện tử|phiếu khảo sát trực tuyến|"
            "mô hình công đoàn gắn với tổ sản xuất|sổ theo dõi đoàn viên trên điện thoại",
            "goal": "nắm bắt kịp thời tâm tư người lao động|tăng số đoàn viên|"
            "bảo vệ quyền lợi người lao động",
            "actor": "cán bộ công đoàn|đoàn viên|tổ trưởng công đoàn",
            "unit": "đoàn viên|tháng|cuộc đối thoại|năm",
            "cost": "tổ chức hoạt động|in tài liệu|đi lại",
        },
        "covid": {
            "obj": "buồng khử khuẩn|tổ an toàn Covid|phương án ba tại chỗ|khu cách ly tạm thời|"
            "bảng phân luồng|máy đo thân nhiệt tự động|khẩu trang vải kháng khuẩn|túi an sinh|"
            "vách ngăn bàn ăn",
            "proc": "phân luồng người ra vào|khai báo y tế|sản xuất theo phương án ba tại chỗ|"
            "chăm lo công nhân mắc Covid|xét nghiệm nhanh định kỳ|tổ chức bữa ăn ca giãn cách",
            "place": "cổng nhà máy|khu nhà ăn|khu lưu trú tạm thời|ký túc xá công nhân|"
            "xưởng sản xuất",
            "prob": "nguy cơ lây nhiễm chéo|gián đoạn sản xuất|thiếu nhân lực khi có ca nhiễm|"
            "ùn tắc ở cổng ra vào|tâm lý lo lắng của người lao động",
            "means": "mã QR khai báo|vách ngăn tự làm|lịch làm việc lệch ca|"
            "nhóm hỗ trợ trực tuyến|sơ đồ phân khu theo màu",
            "goal": "bảo đảm sản xuất an toàn|phòng lây nhiễm|giữ ổn định việc làm",
            "actor": "người lao động|tổ an toàn Covid|cán bộ y tế cơ quan",
            "unit": "ca làm việc|ngày|lượt ra vào|tuần",
            "cost": "vật tư phòng dịch|xét nghiệm|khử khuẩn",
        },
        "nong-nghiep": {
            "obj": "hệ thống tưới nhỏ giọt|máy gieo hạt|nhà màng|chế phẩm sinh học|"
            "máy sấy nông sản|chuồng trại|bẫy côn trùng",
            "proc": "chăm sóc cây trồng|thu hoạch lúa|bảo quản nông sản|chăn nuôi lợn|"
            "ủ phân hữu cơ|tưới cây ăn quả",
            "place": "hợp tác xã|trang trại|cánh đồng mẫu lớn|vườn ươm|xã",
            "prob": "tốn nước tưới|sâu bệnh|hao hụt sau thu hoạch|ô nhiễm chuồng trại|giá vật tư cao",
            "means": "bộ hẹn giờ tưới|chế phẩm vi sinh tự ủ|lò sấy dùng trấu|"
            "nhóm kỹ thuật trên điện thoại|lịch thời vụ",
            "goal": "tăng năng suất cây trồng|giảm chi phí vật tư|sản xuất an toàn",
            "actor": "nông dân|xã viên|cán bộ khuyến nông",
            "unit": "sào|vụ|tấn|tháng",
            "cost": "phân bón|nước tưới|thuốc bảo vệ thực vật",
        },
    }.items()
}

# Which topics a unit's block writes about.
BLOCK_TOPICS = {
    "enterprise": [
        "co-khi",
        "dien",
        "det-may",
        "kho-van",
        "moi-truong",
        "thuc-pham",
        "xay-dung",
        "khai-thac",
        "dien-tu",
        "tai-chinh",
    ],
    "administrative": ["hanh-chinh", "tai-chinh", "y-te", "dien", "moi-truong"],
    "school": ["giao-duc", "hanh-chinh"],
    "commune": ["hanh-chinh", "nong-nghiep", "moi-truong", "tai-chinh"],
}
KIND_TOPICS = {"hoat-dong-cong-doan": ["cong-doan"], "phong-chong-covid-19": ["covid"]}

# The parts of a description in order, each a list of sentence templates. Placeholders are
# the topic's slots ({Actor}: capitalised), and numbers: {a} > {b}, {n}, {pct}, {money},
# {month}/{year}.
SENTENCES = {
    "context": [
        "Trước đây, việc {proc} tại {place} chủ yếu làm thủ công, mỗi {unit} mất khoảng {a} phút.",
        "Trong quá trình {proc}, {actor} thường gặp tình trạng {prob}, ảnh hưởng đến tiến độ chung.",
        "Thực tế tại {place} cho thấy {prob} là nguyên nhân chính làm tăng chi phí {cost}.",
        "{Actor} tại {place} phải thao tác nhiều bước, dễ nhầm lẫn và dẫn đến {prob}.",
        "Năm {year}, đơn vị ghi nhận {n} trường hợp {prob} khi {proc}.",
        "Thiết bị {obj} đang sử dụng đã cũ, hiệu suất thấp và thường phải dừng để sửa chữa.",
        "Quy trình {proc} cũ có nhiều công đoạn trùng lặp, mất thời gian chờ giữa các bộ phận.",
        "Khi khối lượng công việc tăng, {place} thường quá tải, dẫn đến {prob}.",
        "Mỗi tháng {place} phải chi khoảng {money} triệu đồng cho {cost} vì {prob}.",
        "Qua khảo sát {n} {actor}, phần lớn cho rằng {proc} là khâu vất vả và dễ sai sót nhất.",
    ],
    "solution": [
        "Tác giả đã nghiên cứu, thiết kế {means} lắp cho {obj} để {goal}.",
        "Giải pháp sử dụng {means} thay cho cách làm cũ, giúp {actor} {goal}.",
        "Nhóm tác giả bố trí lại {place} theo dòng chảy công việc, rút ngắn quãng đường di chuyển của {actor}.",
        "{Means} được chế tạo từ vật tư sẵn có tại đơn vị nên chi phí đầu tư thấp.",
        "Mỗi {obj} được gắn mã QR để tra cứu nhanh lịch sử {proc}.",
        "Tác giả xây dựng quy trình {proc} gồm {n} bước rõ ràng, có biểu mẫu kiểm tra cho từng bước.",
        "Giải pháp kết hợp {means} với việc hướng dẫn lại {actor} về thao tác chuẩn.",
        "Thay vì ghi chép bằng tay, {actor} cập nhật số liệu {proc} ngay trên điện thoại.",
        "Bộ phận kỹ thuật phối hợp với {actor} thử nghiệm {n} phương án trước khi chọn {means}.",
        "Điểm mới của giải pháp là dùng {means} để {goal} mà không phải thay {obj}.",
        "Các thông số của {obj} được điều chỉnh lại cho phù hợp với từng loại {unit}.",
        "Tác giả lập bảng theo dõi {prob} theo từng {unit} để phát hiện sớm nguyên nhân.",
    ],
    "method": [
        "Giải pháp được áp dụng thử từ tháng {month}/{year} tại {place}, sau đó nhân rộng ra {n} bộ phận.",
        "Sau {n} tháng áp dụng, đơn vị đã hoàn thiện hướng dẫn sử dụng và tập huấn cho {people} {actor}.",
        "Chi phí thực hiện khoảng {money} triệu đồng, chủ yếu là vật tư và công lắp đặt.",
        "Việc triển khai không làm gián đoạn công việc vì được thực hiện vào các ngày nghỉ cuối tuần.",
        "Ban giám đốc đã giao {place} phối hợp với tổ kỹ thuật theo dõi kết quả trong {n} tháng.",
        "Tài liệu hướng dẫn được phổ biến đến từng {actor} trong các buổi họp đầu ca.",
    ],
    "result": [
        "Sau khi áp dụng, thời gian {proc} giảm từ {a} phút xuống còn {b} phút cho mỗi {unit}.",
        "Năng suất lao động tại {place} tăng khoảng {pct}%, tình trạng {prob} giảm rõ rệt.",
        "Mỗi tháng đơn vị tiết kiệm được khoảng {money} triệu đồng chi phí {cost}.",
        "{Actor} làm việc an toàn hơn, giảm thao tác nặng nhọc và không còn xảy ra {prob}.",
        "Số lỗi phát sinh giảm từ {a} xuống {b} trường hợp mỗi tháng.",
        "Tỷ lệ {unit} đạt yêu cầu ngay lần đầu tăng lên {pct}%.",
        "Sau {n} tháng, {place} không để xảy ra sự cố nào liên quan đến {obj}.",
    ],
    "closing": [
        "Giải pháp đơn giản, dễ làm, có thể nhân rộng ra các đơn vị có điều kiện tương tự.",
        "Sáng kiến góp phần cải thiện điều kiện làm việc và nâng cao thu nhập cho {actor}.",
        "Hội đồng sáng kiến của đơn vị đã đánh giá cao tính mới và khả năng áp dụng của giải pháp.",
        "Giải pháp đã được áp dụng thực tế tại đơn vị và mang lại hiệu quả kinh tế rõ rệt.",
        "Tác giả mong muốn giải pháp được giới thiệu rộng rãi để {actor} các đơn vị khác cùng áp dụng.",
        "Kết quả này góp phần hoàn thành chỉ tiêu thi đua năm {year} của đơn vị.",
    ],
}
# How many sentences each part takes (inclusive range).
PART_SIZES = {
    "context": (1, 2),
    "solution": (2, 4),
    "method": (1, 2),
    "result": (1, 3),
    "closing": (0, 1),
}
# A share of descriptions is written in labelled sections, one label per line.
SECTION_LABELS = {
    "context": "Thực trạng:",
    "solution": "Nội dung giải pháp:",
    "method": "Tổ chức thực hiện:",
    "result": "Hiệu quả đạt được:",
}

TITLES = [
    "Cải tiến {obj} tại {place}",
    "Cải tiến {obj} nhằm {goal}",
    "Cải tiến {obj} nhằm {goal} tại {place}",
    "Cải tiến {obj} giúp {actor} {goal}",
    "Cải tiến quy trình {proc} tại {place}",
    "Cải tiến quy trình {proc} nhằm {goal}",
    "Giải pháp {goal} trong {proc}",
    "Giải pháp {goal} trong {proc} tại {place}",
    "Giải pháp giảm {prob} khi {proc}",
    "Giải pháp khắc phục tình trạng {prob} tại {place}",
    "Ứng dụng {means} trong {proc}",
    "Ứng dụng {means} trong {proc} tại {place}",
    "Ứng dụng {means} để {goal}",
    "Thiết kế, chế tạo {means} cho {obj}",
    "Thiết kế, chế tạo {means} phục vụ {proc}",
    "Nâng cao hiệu quả {proc} bằng {means}",
    "Sử dụng {means} để {goal} tại {place}",
    "Xây dựng quy trình {proc} tại {place}",
    "Giải pháp tiết kiệm chi phí {cost} trong {proc}",
    "Hợp lý hóa {proc} nhằm {goal}",
    "Sáng kiến {goal} tại {place}",
    "Đổi mới cách thức {proc} tại {place}",
    "Lắp đặt {means} cho {obj} tại {place}",
]
# Added to a share of titles: when, or for whom.
TITLE_SUFFIXES = [
    " năm 2022",
    " năm 2023",
    " giai đoạn 2022 - 2023",
    " cho {actor}",
    " (áp dụng từ tháng {month}/2022)",
    " (áp dụng từ tháng {month}/2023)",
]
RESEARCH_TITLES = [
    "Nghiên cứu ứng dụng {means} trong {proc}",
    "Nghiên cứu giải pháp {goal} tại {place}",
    "Nghiên cứu, đánh giá hiệu quả {means} đối với {obj}",
]

BENEFIT_TEXTS = [
    "Cải thiện điều kiện làm việc, giảm nguy cơ tai nạn lao động cho {actor}.",
    "Rút ngắn thời gian {proc}, giảm áp lực công việc cho {actor}.",
    "Nâng cao chất lượng phục vụ, tạo sự hài lòng cho người dân và doanh nghiệp.",
    "Giảm thao tác nặng nhọc, bảo vệ sức khỏe {actor}.",
    "Góp phần bảo vệ môi trường và xây dựng văn hóa an toàn tại {place}.",
    "Tăng cường gắn bó giữa {actor} với đơn vị, ổn định việc làm.",
    "Công khai, minh bạch thông tin; giảm đi lại cho {actor}.",
]

NEEDS_INFO_MESSAGES = [
    "Đề nghị bổ sung số và ngày văn bản công nhận sáng kiến.",
    "Đề nghị nêu rõ cách tính giá trị làm lợi.",
    "Đề nghị gửi kèm hình ảnh hoặc tài liệu minh hoạ giải pháp.",
    "Đề nghị ghi rõ tỷ lệ đóng góp của từng tác giả.",
    "Mô tả chưa nêu được điểm mới so với cách làm trước đây; đề nghị bổ sung.",
]
RESUBMITTED_MESSAGE = "Người nộp đã bổ sung."  # initiatives.services.initiative_edit
WITHDRAWN_MESSAGE = "Người nộp rút sáng kiến."  # initiatives.services.initiative_withdraw
OTHER_REASONS = [
    "Hồ sơ không có văn bản công nhận có chữ ký của thủ trưởng đơn vị.",
    "Giải pháp là nhiệm vụ thường xuyên theo chức năng, chưa phải sáng kiến.",
    "Tác giả không công tác tại công đoàn cơ sở đã chọn.",
]
SEND_BACK_REASONS = [
    "Hồ sơ chưa có bản mô tả chi tiết, đề nghị hoàn thiện.",
    "Đơn vị đề nghị vượt nội dung hướng dẫn, đề nghị chọn lại.",
    "Giải pháp trùng với sáng kiến đã được công nhận ở đơn vị khác.",
]
RECOGNITION_SUFFIXES = {
    "enterprise": ["QĐ-GĐ", "QĐ-HĐSK", "QĐ-TGĐ", "QĐ-CT", "QĐ-HĐTV"],
    "administrative": ["QĐ-UBND", "QĐ-SYT", "QĐ-BV", "QĐ-HĐSK", "QĐ-CCT"],
    "school": ["QĐ-THCS", "QĐ-TH", "QĐ-MN", "QĐ-HT"],
    "commune": ["QĐ-UBND", "QĐ-HĐSK"],
}

# Names: surnames with their approximate shares in Vietnam, middle and given names by gender.
SURNAMES = [
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 7),
    ("Hoàng", 4),
    ("Huỳnh", 3),
    ("Phan", 4),
    ("Vũ", 3),
    ("Võ", 3),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 2),
    ("Hồ", 1),
    ("Ngô", 1),
    ("Dương", 1),
    ("Lý", 1),
    ("Đinh", 1),
    ("Trương", 1),
    ("Lương", 1),
    ("Mai", 1),
    ("Cao", 1),
    ("Tạ", 1),
    ("Quách", 1),
    ("Lưu", 1),
]
MIDDLE = {
    "m": _split("Văn|Văn|Văn|Hữu|Đức|Minh|Quang|Xuân|Thành|Công|Đình|Trọng|Tuấn|Mạnh|Ngọc|Hoàng"),
    "f": _split("Thị|Thị|Thị|Thị|Ngọc|Thu|Thanh|Minh|Hồng|Kim|Phương|Thúy|Mai|Bích|Diệu|Hải"),
}
GIVEN = {
    "m": _split(
        "An|Anh|Bảo|Bình|Cường|Chiến|Công|Dũng|Duy|Dương|Đạt|Đức|Giang|Hải|Hào|Hiếu|Hiệp|Hoàng|"
        "Hùng|Huy|Khánh|Khoa|Kiên|Lâm|Long|Lộc|Lực|Minh|Nam|Nghĩa|Nhân|Phong|Phúc|Quân|Quang|"
        "Sơn|Tài|Tâm|Thắng|Thành|Thịnh|Toàn|Trung|Tuấn|Tùng|Việt|Vinh|Vũ|Hưng|Thông"
    ),
    "f": _split(
        "An|Anh|Bích|Chi|Dung|Duyên|Giang|Hà|Hạnh|Hằng|Hiền|Hoa|Hồng|Huệ|Hương|Huyền|Lan|Liên|"
        "Linh|Loan|Mai|My|Nga|Ngân|Ngọc|Nhung|Oanh|Phương|Quyên|Quỳnh|Tâm|Thảo|Thơ|Thu|Thủy|"
        "Trang|Trinh|Tuyết|Uyên|Vân|Vy|Xuân|Yến|Hậu|Lụa|Nhàn|Thắm|Diệp|Hòa|Ly"
    ),
}
# Provinces' codes as the first three digits of a CCCD (Circular 59/2021/TT-BCA).
CCCD_PROVINCES = _split(
    "001|002|004|006|008|010|011|012|014|015|017|019|020|022|024|025|026|027|030|031|033|034|"
    "035|036|037|038|040|042|044|045|046|048|049|051|052|054|056|058|060|062|064|066|067|068|"
    "070|072|074|075|077|079|080|082|083|084|086|087|089|091|092|093|094|095|096"
)
# Mobile prefixes accepted by common.vnid (Viettel, MobiFone, VinaPhone, Vietnamobile, …).
MOBILE_PREFIXES = _split(
    "032|033|034|035|036|037|038|039|052|056|058|059|070|076|077|078|079|081|082|083|084|085|"
    "086|087|088|089|090|091|092|093|094|096|097|098|099"
)
SIGNER_TITLES = ["CHỦ TỊCH", "PHÓ CHỦ TỊCH", "PHÓ CHỦ TỊCH THƯỜNG TRỰC"]
