"""Actions: what the commands do (release, revise, obsolete, register, diff, init, verify), above the pipeline."""
