mod config;
mod secrets;
mod stop;
