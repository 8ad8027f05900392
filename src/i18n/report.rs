//! The fixed words of printed reports and of the window's report commands. Kept apart from
//! [`super::Text`] so that the report's vocabulary reads as one piece; the same rule holds: a
//! missing translation is a compile error.

use super::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportText {
    Title,
    Verdict,
    Route,
    Via,
    GeneratedAt,
    SavedAt,
    Summary,
    Obligation,
    Regime,
    Status,
    WhoMustAct,
    FindingsByLine,
    NoFindings,
    NoDocuments,
    NoGaps,
    NoNotes,
    RecordMatches,
    RecordDiffers,
    StatusesOnly,
    RecordUnread,
    NoRecord,
    AppVersion,
    Digest,
    /// A pattern: `{page}` and `{pages}` stand for the numbers.
    Page,
    Signature,
    ReportWritten,
    ReportFailed,
    PrintOpened,
    PrintNoViewer,
    Rendering,
}

pub fn report_tr(text: ReportText, lang: Lang) -> &'static str {
    use ReportText::*;
    let (en, zh) = match text {
        Title => (
            "Precursor shipment assessment",
            "易制毒化学品货物合规评估报告",
        ),
        Verdict => ("Verdict", "结论"),
        Route => ("Route", "运输路线"),
        Via => ("via", "经"),
        GeneratedAt => ("Report generated", "报告生成时间"),
        SavedAt => ("Case saved", "案卷保存时间"),
        Summary => ("What the shipment needs", "本批货物的合规要求"),
        Obligation => ("Obligation", "义务"),
        Regime => ("Regime", "管制制度"),
        Status => ("Status", "结论"),
        WhoMustAct => ("Who must act", "办理方"),
        FindingsByLine => ("Findings by line", "逐项结论"),
        NoFindings => ("No finding for this line.", "本明细无结论。"),
        NoDocuments => (
            "No document is asked for on the data on file.",
            "根据现有数据，无需准备文件。",
        ),
        NoGaps => (
            "No known gap lies behind this assessment.",
            "本评估不涉及已知数据缺口。",
        ),
        NoNotes => ("None.", "无。"),
        RecordMatches => (
            "The assessment saved with the case matches today's assessment.",
            "案卷保存时的评估与当前评估一致。",
        ),
        RecordDiffers => (
            "The assessment saved with the case differs from today's assessment:",
            "案卷保存时的评估与当前评估不同：",
        ),
        StatusesOnly => (
            "The case was saved by an earlier version, which kept only the status of each finding; the reasons and sources below are today's.",
            "本案卷由早期版本保存，仅记录了各项结论的状态；以下理由和依据均为当前评估所得。",
        ),
        RecordUnread => (
            "The assessment saved with the case could not be read by this version (the file was saved by a newer one, or changed outside the app): there is nothing to compare today's assessment with.",
            "本版本无法读取案卷保存时的评估（文件由较新版本保存，或在本程序以外被修改）：没有可与当前评估比较的记录。",
        ),
        NoRecord => (
            "The case has not been saved: no decided assessment is on record.",
            "案卷尚未保存：没有已记录的评估。",
        ),
        AppVersion => ("App version", "软件版本"),
        Digest => ("Case file digest", "案卷文件摘要"),
        Page => ("Page {page} of {pages}", "第 {page} 页，共 {pages} 页"),
        Signature => ("Reviewed and signed (name, date)", "审核签字（姓名、日期）"),
        ReportWritten => ("Report written:", "报告已写入："),
        ReportFailed => ("The report could not be written:", "无法写入报告："),
        PrintOpened => (
            "The report was handed to the system's viewer to print:",
            "报告已交由系统查看器打印：",
        ),
        PrintNoViewer => (
            "No viewer could be started to print it; the report is at",
            "无法启动查看器进行打印，报告位于",
        ),
        Rendering => ("Writing the report…", "正在生成报告…"),
    };
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// The officer's decision, in words.
pub fn outcome_label(outcome: crate::case_file::Outcome, lang: Lang) -> &'static str {
    use super::{Text, tr};
    use crate::case_file::Outcome;
    tr(
        match outcome {
            Outcome::Open => Text::OutcomeOpen,
            Outcome::Cleared => Text::OutcomeCleared,
            Outcome::Held => Text::OutcomeHeld,
            Outcome::Escalated => Text::OutcomeEscalated,
            Outcome::Refused => Text::OutcomeRefused,
        },
        lang,
    )
}
