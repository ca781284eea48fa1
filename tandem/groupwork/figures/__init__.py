"""Group-work figures: fill rate, waiting time, attendance and completion per province,
programme, module and intake moment, under disclosure control (aggregates only)."""
