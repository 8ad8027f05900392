//! What went wrong with a case file, in plain words in the reader's language. The error's own
//! text (English, with the path and the position) goes underneath as the technical detail.

use super::Lang;
use crate::case_file::{OpenError, SaveError};

/// Why a case file did not open, as an officer would put it.
pub fn open_error_plain(error: &OpenError, lang: Lang) -> String {
    let (en, zh) = match error {
        OpenError::Read { .. } => ("The file cannot be read.", "无法读取该文件。"),
        OpenError::TooLarge { .. } => (
            "The file is far larger than a case file can be.",
            "文件远大于案卷文件应有的大小。",
        ),
        OpenError::NotAFile { .. } => ("What was chosen is not a file.", "所选的不是文件。"),
        OpenError::NotText { .. } => (
            "The file is not text, so it is not a case file.",
            "该文件不是文本，因此不是案卷文件。",
        ),
        OpenError::Truncated { .. } => (
            "The file is truncated: it was cut short, perhaps by a copy or a save that did not finish.",
            "文件不完整：已被截断，可能是复制或保存中途中断。",
        ),
        OpenError::NotACaseFile { looks_like, .. } => {
            return match lang {
                Lang::En => format!("This is a {looks_like} file, not a case file."),
                Lang::Zh => format!("这是{looks_like}文件，不是案卷文件。"),
            };
        }
        OpenError::Syntax { .. } => (
            "The file is damaged: it cannot be read as a case.",
            "文件已损坏，无法作为案卷读取。",
        ),
        OpenError::WrongFormat { .. } => (
            "This file is not a Precursor Desk case.",
            "该文件不是 Precursor Desk 案卷。",
        ),
        OpenError::NewerVersion { .. } => (
            "The case was saved by a newer version of Precursor Desk: update the app to open it.",
            "该案卷由较新版本的 Precursor Desk 保存：请更新程序后再打开。",
        ),
        OpenError::UnknownVersion { .. } => (
            "The case file has a version this app does not know.",
            "本程序不认识该案卷文件的版本。",
        ),
        OpenError::TooManyLines { .. } => (
            "The case has more lines than one case can hold: screen a list this long with batch screening.",
            "案卷明细超过单个案卷的上限：如此长的清单请用批量筛查。",
        ),
    };
    lang.pick(en, zh).to_owned()
}

/// Why a case was not saved, as an officer would put it. The file on disk is untouched.
pub fn save_error_plain(error: &SaveError, lang: Lang) -> &'static str {
    let (en, zh) = match error {
        SaveError::FolderMissing { .. } => {
            ("The folder does not exist any more.", "该文件夹已不存在。")
        }
        SaveError::CreateTemp { .. } => (
            "The app may not write in that folder.",
            "本程序无权在该文件夹中写入。",
        ),
        SaveError::Write { .. } => (
            "Writing failed: the disk may be full.",
            "写入失败：磁盘可能已满。",
        ),
        SaveError::Backup { .. } => (
            "The previous version could not be kept as a backup, so it was not replaced.",
            "无法保留上一版本作为备份，因此未替换。",
        ),
        SaveError::Replace { .. } => ("The file could not be replaced.", "无法替换该文件。"),
        SaveError::Serialize { .. } => ("The case could not be written out.", "无法写出该案卷。"),
        SaveError::NotAFile { .. } => (
            "What is at that path is not a file, so it was not replaced.",
            "该路径上不是文件，因此未替换。",
        ),
        SaveError::Sync { .. } => (
            "The file was replaced, but the system could not confirm it is on disk.",
            "文件已替换，但系统无法确认已写入磁盘。",
        ),
    };
    lang.pick(en, zh)
}
