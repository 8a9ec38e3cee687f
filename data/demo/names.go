package demo

// Word lists for plausible names. They are ordinary Vietnamese words and
// common names, not real people or businesses (except well-known public
// places such as Chợ Hàn and Chợ Cồn).

var familyNames = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
	"Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đoàn", "Trương", "Đinh", "Lương"}

var middleNamesMale = []string{"Văn", "Minh", "Đức", "Hữu", "Quốc", "Thanh", "Công", "Xuân"}
var middleNamesFemale = []string{"Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Bảo", "Phương"}

var givenNamesMale = []string{"Anh", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Huy", "Khánh", "Long",
	"Nam", "Phúc", "Quân", "Sơn", "Tâm", "Thắng", "Tuấn", "Việt", "Vinh", "Đông"}
var givenNamesFemale = []string{"Anh", "Châu", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hương", "Hường", "Lan",
	"Linh", "Mai", "Nga", "Ngân", "Nhung", "Oanh", "Thảo", "Trang", "Vy", "Yến"}

// Streets of quận Hải Châu, Đà Nẵng.
var streets = []string{"Bạch Đằng", "Trần Phú", "Lê Duẩn", "Hùng Vương", "Nguyễn Văn Linh", "Hoàng Diệu",
	"Ông Ích Khiêm", "Phan Châu Trinh", "Lê Lợi", "Quang Trung", "Nguyễn Chí Thanh", "Trưng Nữ Vương",
	"Núi Thành", "2 Tháng 9", "Hải Phòng", "Thái Phiên", "Yên Bái", "Đống Đa", "Lý Tự Trọng",
	"Nguyễn Thị Minh Khai", "Lê Hồng Phong", "Pasteur", "Hàm Nghi", "Duy Tân", "Phan Đăng Lưu",
	"Nguyễn Hoàng", "Hoàng Văn Thụ", "Lê Đình Dương", "Đường 3 Tháng 2", "Triệu Nữ Vương"}

// Name stems combined with a category prefix.
var nameStems = []string{"Hoa Sen", "Minh Anh", "Thanh Tâm", "Phố Biển", "Sông Hàn", "Bà Nà", "Hải Vân",
	"Sơn Trà", "Mỹ Khê", "Phước Lộc", "An Khang", "Hồng Phát", "Tân Phú", "Kim Long", "Ngọc Lan",
	"Đồng Xanh", "Bình Minh", "Hoàng Gia", "Phúc Thịnh", "Thủy Tiên", "Cô Ba", "Bé Mặn", "Quê Nhà",
	"Tuấn Hưng", "Hạnh Phúc", "Sao Mai", "Trúc Xanh", "Đức Thành", "Thành Lợi", "Mộc Miên"}

// categoryNames gives, per category key, name prefixes; a stem follows.
var categoryNames = map[string][]string{
	"office":       {"UBND phường", "Văn phòng", "Trụ sở", "Chi cục Thuế"},
	"enterprise":   {"Công ty TNHH", "Công ty Cổ phần", "Doanh nghiệp tư nhân"},
	"factory":      {"Xưởng may", "Xưởng in", "Cơ sở sản xuất"},
	"restaurant":   {"Nhà hàng", "Quán ăn", "Quán Bún chả cá", "Quán Mì Quảng", "Nhà hàng Hải sản"},
	"cafe":         {"Cà phê", "Quán cà phê", "Trà sữa", "Cafe"},
	"shop":         {"Cửa hàng", "Shop thời trang", "Cửa hàng điện thoại", "Nhà thuốc"},
	"market":       {"Chợ"},
	"supermarket":  {"Siêu thị", "Trung tâm thương mại", "Siêu thị mini"},
	"school":       {"Trường Tiểu học", "Trường THCS", "Trường THPT", "Trường Mầm non"},
	"health":       {"Phòng khám", "Nha khoa", "Trạm Y tế"},
	"hotel":        {"Khách sạn", "Nhà nghỉ", "Homestay"},
	"religious":    {"Chùa", "Nhà thờ", "Tịnh xá"},
	"sports":       {"Phòng tập Gym", "Sân cầu lông", "Hồ bơi"},
	"bank":         {"Ngân hàng", "Phòng giao dịch"},
	"public_place": {"Công viên", "Bãi tắm", "Quảng trường"},
	"street_food":  {"Gánh bánh căn", "Xe bánh mì", "Hàng bánh tráng cuốn", "Gánh chè"},
	"takeaway":     {"Điểm bán mang đi", "Bánh mì mang đi", "Cơm hộp"},
	"grocery":      {"Tạp hóa", "Tiệm tạp hóa", "Đại lý"},
}

// categoryWeights: how common each category is among registered venues.
var categoryWeights = map[string]int{
	"office": 4, "enterprise": 8, "factory": 2, "restaurant": 14, "cafe": 14, "shop": 16, "market": 1,
	"supermarket": 2, "school": 2, "health": 3, "hotel": 6, "religious": 1, "sports": 2, "bank": 2,
	"public_place": 1, "street_food": 6, "takeaway": 5, "grocery": 11,
}

// Well-known public places of quận Hải Châu, created first in their wards.
var landmarks = []struct{ ward, category, name, address string }{
	{"20236", "market", "Chợ Hàn", "119 Trần Phú"},
	{"20239", "market", "Chợ Cồn", "290 Hùng Vương"},
	{"20236", "public_place", "Công viên Bạch Đằng", "Bạch Đằng"},
}

// Mobile prefixes in use after 2018.
var phonePrefixes = []string{"090", "091", "093", "094", "096", "097", "098", "032", "033", "034", "035",
	"036", "037", "038", "039", "070", "076", "077", "078", "079", "081", "082", "083", "084", "085",
	"056", "058", "059", "086", "088", "089"}
