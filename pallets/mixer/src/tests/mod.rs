mod admin;
mod deposits;
mod properties;
mod withdrawals;
