"""Reading what offices keep in Excel: question banks and score sheets (openpyxl)."""
