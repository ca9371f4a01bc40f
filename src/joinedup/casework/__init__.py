"""Multi-agency ASB casework: intake, linking, daily tasking, risk assessment, problem solving, reviews."""
