"""Data of 消毒产品卫生安全评价规定（国卫监督发〔2014〕36号）: tables 1-5 with notes, classes, re-tests."""
