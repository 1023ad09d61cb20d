/** What other features use of segments: the saved segments (a campaign's targets). */
export { useSaveSegment, useSegments } from './api';
export type { SegmentRule } from './rule';
