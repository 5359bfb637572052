"""Evidence: a readable outcome and casualty model fitted on CDB90, and its scoreboard."""
