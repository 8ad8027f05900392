//! The words of verdicts, obligations, parties and confidence.

use super::Lang;
use crate::rules::Status;
use crate::rules::model::{Confidence, Obligation, Party};

pub fn status_label(status: Status, lang: Lang) -> &'static str {
    match (status, lang) {
        (Status::Required, Lang::En) => "Required",
        (Status::Required, Lang::Zh) => "需要",
        (Status::NotRequired, Lang::En) => "Not required",
        (Status::NotRequired, Lang::Zh) => "不需要",
        (Status::Review, Lang::En) => "Review",
        (Status::Review, Lang::Zh) => "需人工核查",
        (Status::Prohibited, Lang::En) => "Prohibited",
        (Status::Prohibited, Lang::Zh) => "禁止",
    }
}

/// The headline for an overall verdict.
pub fn verdict_headline(status: Status, lang: Lang) -> &'static str {
    match (status, lang) {
        (Status::Required, Lang::En) => "Licences or permits required",
        (Status::Required, Lang::Zh) => "需要许可证或许可",
        (Status::NotRequired, Lang::En) => "No licence or permit required on the data on file",
        (Status::NotRequired, Lang::Zh) => "根据现有数据，无需许可证或许可",
        (Status::Review, Lang::En) => "Review needed: the tool cannot decide",
        (Status::Review, Lang::Zh) => "需人工核查：本工具无法判定",
        (Status::Prohibited, Lang::En) => "Prohibited",
        (Status::Prohibited, Lang::Zh) => "禁止",
    }
}

pub fn obligation_label(obligation: Obligation, lang: Lang) -> &'static str {
    match (obligation, lang) {
        (Obligation::ExportLicence, Lang::En) => "Export licence",
        (Obligation::ExportLicence, Lang::Zh) => "出口许可证",
        (Obligation::SpecificCountryLicence, Lang::En) => "Specific-country export licence",
        (Obligation::SpecificCountryLicence, Lang::Zh) => "特定国家出口许可",
        (Obligation::PreExportNotification, Lang::En) => "Pre-export notification",
        (Obligation::PreExportNotification, Lang::Zh) => "出口前通知",
        (Obligation::ImportPermit, Lang::En) => "Import permit",
        (Obligation::ImportPermit, Lang::Zh) => "进口许可",
        (Obligation::ImportNotification, Lang::En) => "Import notification",
        (Obligation::ImportNotification, Lang::Zh) => "进口申报",
        (Obligation::Registration, Lang::En) => "Registration",
        (Obligation::Registration, Lang::Zh) => "登记注册",
    }
}

pub fn party_label(party: Party, lang: Lang) -> &'static str {
    match (party, lang) {
        (Party::Exporter, Lang::En) => "exporter",
        (Party::Exporter, Lang::Zh) => "出口方",
        (Party::Importer, Lang::En) => "importer",
        (Party::Importer, Lang::Zh) => "进口方",
        (Party::ExportingAuthority, Lang::En) => "exporting country's authority",
        (Party::ExportingAuthority, Lang::Zh) => "出口国主管机关",
    }
}

pub fn confidence_label(confidence: Confidence, lang: Lang) -> &'static str {
    match (confidence, lang) {
        (Confidence::Official, Lang::En) => "official text",
        (Confidence::Official, Lang::Zh) => "官方文本",
        (Confidence::Secondary, Lang::En) => "secondary source",
        (Confidence::Secondary, Lang::Zh) => "二手来源",
        (Confidence::Unverified, Lang::En) => "unverified",
        (Confidence::Unverified, Lang::Zh) => "未经核实",
    }
}
