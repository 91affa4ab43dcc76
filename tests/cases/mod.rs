mod config;
mod emulator;
mod secrets;
mod stop;
