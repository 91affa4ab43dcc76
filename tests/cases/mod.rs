mod batch;
mod config;
mod emulator;
mod faults;
mod secrets;
mod stop;
