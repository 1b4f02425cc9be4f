mod aliases;
mod attachments;
mod properties;
mod sending;
