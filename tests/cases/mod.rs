mod color;
mod config;
mod emulator;
mod generate;
mod secrets;
mod stop;
