mod config;
mod configure;
mod credentials;
mod emulator;
mod secrets;
mod stop;
