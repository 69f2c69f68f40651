//! The words of the synthetic people: names, places, and the roster texts the
//! generator writes for each identity (all accepted by `schemas/`).

use crate::domain::Category;

pub(super) const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任",
    "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "贾", "白", "海", "纳",
    "撒", "冶", "穆", "哈", "锁", "虎",
];

pub(super) const GIVEN: &[&str] = &[
    "建", "国", "华", "明", "丽", "娟", "秀", "英", "桂", "兰", "玉", "芳", "志", "强", "伟", "军",
    "杰", "涛", "斌", "超", "勇", "敏", "静", "燕", "霞", "红", "梅", "文", "博", "思", "琪", "子",
    "轩", "雨", "桐", "浩", "宇", "欣", "怡", "俊", "佳", "慧", "晓", "东", "海", "波", "春", "花",
    "福", "贵", "成", "德", "永", "生", "金", "山", "学", "林", "凤", "莲", "淑", "珍", "翠", "萍",
    "彦", "鹏", "鑫", "磊", "婷", "倩", "晨", "阳", "宏", "刚", "平", "峰", "亮", "艳", "丹", "莉",
];

pub(super) const TOWNS: &[&str] = &[
    "城关镇",
    "新华街道",
    "东关街道",
    "南关街道",
    "河东镇",
    "红星乡",
    "杨河乡",
    "清水镇",
    "三营镇",
    "丁塘镇",
    "海城镇",
    "习岗镇",
    "望远镇",
    "兴泾镇",
    "新堡镇",
    "王团镇",
];

pub(super) const VILLAGES: &[&str] = &[
    "红星村",
    "新民村",
    "和平村",
    "团结村",
    "东风村",
    "胜利村",
    "五里村",
    "光明村",
    "山门村",
    "新平村",
    "丁塘村",
    "永安社区",
    "幸福社区",
    "富民社区",
    "南园社区",
    "北塔社区",
];

pub(super) const BAD_DATES: &[&str] = &["2025-13-40", "2025-02-30", "20251341", "2025/00/12", "无"];

/// Texts the generator writes for each identity (all accepted by
/// `schemas/categories.toml`), first = most common.
pub(super) const TEXT_DIBAO_URBAN: &[&str] = &["低保对象", "城市低保", "低保"];
pub(super) const TEXT_DIBAO_RURAL: &[&str] = &["农村低保", "低保对象", "低保"];
pub(super) const TEXT_TEKUN: &[&str] = &["特困人员", "城乡特困人员", "特困供养人员"];
pub(super) const TEXT_YOUFU: &[&str] = &[
    "优抚对象",
    "残疾军人",
    "烈士遗属",
    "在乡复员军人",
    "带病回乡退伍军人",
    "参战退役人员",
];
pub(super) const DYNAMIC_GROUPS: &[&str] = &["退役军人", "刑满释放人员", "高校新生", "职工断保"];
/// 残疾类别 digit 1–7 → the column text.
pub(super) const DISABILITY_KINDS: [&str; 7] =
    ["视力", "听力", "言语", "肢体", "智力", "精神", "多重"];
pub(super) const GRADE_TEXTS: [&str; 4] = ["一级", "二级", "三级", "四级"];
pub(super) const ELSEWHERE_NOTES: &[&str] = &["外省参保", "军人", "异地就学"];

/// The categories the generator draws, by code.
pub(super) struct Cats {
    pub(super) tekun: Category,
    pub(super) orphan: Category,
    pub(super) defacto_orphan: Category,
    pub(super) dibao: Category,
    pub(super) low_income: Category,
    pub(super) elderly_low_income: Category,
    pub(super) unstable: Category,
    pub(super) marginal: Category,
    pub(super) sudden: Category,
    pub(super) alleviated: Category,
    pub(super) disabled: [Category; 4],
    pub(super) youfu: Category,
    pub(super) widow: Category,
}

pub(super) struct CountyInfo {
    pub(super) code: String,
    pub(super) rural: bool,
    /// Share of 已脱贫人口 among residents (rural counties only).
    pub(super) alleviated_rate: f64,
}
