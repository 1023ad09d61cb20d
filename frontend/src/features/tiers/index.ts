// What other features may use of the value tiers: the customer page's Value tab.
export { ValueTab } from './value-tab';
