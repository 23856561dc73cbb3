# Django's Chinese formats group digits by four without a separator; business documents in
# mainland China write amounts as 1,234,567.89, so money reads the same in both languages.
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
