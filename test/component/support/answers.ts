// Complete, valid answers to sections of the real 2024 questionnaire, as a respondent gives them.
import type { SectionAnswers } from 'wal-core'

export const publicMainAnswers: SectionAnswers = {
  m_gender: 'female',
  m_age: 'age_25_34',
  m_education: 'bachelor',
  m_occupation: 'enterprise',
  m_has_minor: 'no',
  m_live_area: 'city',
  region: {
    provinceCode: '440000',
    provinceName: '广东省',
    cityCode: '440100',
    cityName: '广州市',
  },
  m_years_online: 'gt_10',
  m_hours_daily: 5,
  m_devices: ['phone', 'computer'],
  m_activities: ['chat', 'news', 'shopping'],
  m_shop_freq: 'monthly',
  m_security_overall: 4,
  m_security_worry: 3,
  m_security_change: 'better',
  m_satisfaction_overall: 4,
  m_satisfaction_aspects: {
    fraud: 3,
    personal_info: 3,
    content: 4,
    attention: 2,
    platforms: 3,
    enforcement: 4,
    minors: 4,
    reporting: 3,
  },
  m_issues_seen: ['spam'],
  m_fraud_met: 'no',
  m_leak_feeling: 'moderate',
  m_report: 'sometimes',
  m_protection: ['strong_password', 'antifraud_app'],
  m_priorities: ['fraud', 'personal_info'],
}

/** The storage key of a section's draft (utils/survey-store.ts). */
export const draftKey = (version: string, section: string): string =>
  `wal.survey.draft.wal-2024.${version}.${section}`

/** The rule-of-law topic (网络法治), answered in full. */
export const ruleOfLawAnswers: SectionAnswers = {
  t_law_known: ['pipl', 'anti_fraud_law'],
  t_law_channels: ['news'],
  t_law_effect: 4,
  t_law_rev: 2,
  t_law_enforcement: {
    rumors: 4,
    cyberbullying: 3,
    gambling_porn: 4,
    info_crime: 3,
    report_handling: 4,
  },
  t_law_rights: 'police',
  t_law_needs: ['enforcement', 'easy_redress'],
}
