"""The self-assessment of self-image (zelfbeeld) and draagkracht at the start and at the end of
group work, filled in by the coach with the participant and shown beside the network maps."""
