/**
 * The kinds of event organisers choose, and the contract's coarser `ZVolunteerEventKind` they are
 * published as (volunteers.event.v1 has summer_camp, class, visit, care_event, other).
 */
import type { z } from 'zod';
import type { ZVolunteerEventKind } from '@tongxin/contracts/volunteers';

export const EVENT_KINDS = [
  'summer_camp',
  'talent_class_series',
  'reading_session',
  'festival_care_event',
  'donation_ceremony',
  'home_visit',
  'other',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const CONTRACT_KIND: Record<EventKind, z.infer<typeof ZVolunteerEventKind>> = {
  summer_camp: 'summer_camp', // 夏令营
  talent_class_series: 'class', // 特长班（美术、围棋、书法…）
  reading_session: 'class', // 阅读活动
  festival_care_event: 'care_event', // 节日关爱（六一、中秋、春节…）
  donation_ceremony: 'other', // 捐赠仪式
  home_visit: 'visit', // 走访/家访
  other: 'other',
};

export const ORGANISATION_KINDS = [
  'youth_league', // 共青团委
  'young_pioneers', // 少工委
  'women_federation', // 妇联
  'school',
  'charity',
  'social_work', // 社工机构
  'company',
] as const;

export const SKILLS = ['art', 'go', 'calligraphy', 'music', 'sport', 'tutoring', 'counselling'] as const;
export type Skill = (typeof SKILLS)[number];
