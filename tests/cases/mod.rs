mod batch;
mod color;
mod config;
mod emulator;
mod faults;
mod generate;
mod secrets;
mod stop;
