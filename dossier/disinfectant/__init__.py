"""Disinfection products: hygiene-safety evaluation rules (消毒产品卫生安全评价规定) and filing documents."""
