/** What other features use of tickets: the customer page's tab and the header's bell. */
export { Bell } from './bell';
export { CustomerTickets } from './customer-tickets';
