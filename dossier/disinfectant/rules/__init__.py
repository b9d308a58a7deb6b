"""Rule sets as data: one directory per rule set (ws2014 = 国卫监督发〔2014〕36号)."""
