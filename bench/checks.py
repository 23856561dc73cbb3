"""The models' rules, checked over the whole generated data set in SQL.

The generator loads with foreign-key triggers off (bench.generate), so these checks are what
says that its rows are consistent: each names a rule and counts the rows that break it.
"""

from django.db import connection

from customers.querysets import KEYS_SQL

RULES = {
    "quote customer is its opportunity's customer": """
        SELECT count(*) FROM quotes_quote q
        JOIN opportunities_opportunity o ON o.id = q.opportunity_id
        WHERE q.customer_id <> o.customer_id""",
    "order comes from an accepted quote of its customer, with its total": """
        SELECT count(*) FROM orders_order r JOIN quotes_quote q ON q.id = r.quote_id
        WHERE r.customer_id <> q.customer_id OR q.status <> 'accepted' OR r.total <> q.total""",
    "booked order's deal is won": """
        SELECT count(*) FROM orders_order r JOIN quotes_quote q ON q.id = r.quote_id
        JOIN opportunities_opportunity o ON o.id = q.opportunity_id
        WHERE r.status IN ('confirmed', 'fulfilled', 'completed') AND o.stage <> 'won'""",
    "quote totals equal its lines": """
        SELECT count(*) FROM quotes_quote q
        LEFT JOIN (SELECT quote_id, sum(line_total) AS total,
                          sum(quantity * unit_price) AS subtotal
                   FROM quotes_quoteline GROUP BY quote_id) l ON l.quote_id = q.id
        WHERE l.total IS DISTINCT FROM q.total OR l.subtotal IS DISTINCT FROM q.subtotal
           OR q.discount_total <> q.subtotal - q.total""",
    "order lines copy the quote lines": """
        SELECT (SELECT count(*) FROM orders_orderline l JOIN orders_order r ON r.id = l.order_id
                LEFT JOIN quotes_quoteline ql ON ql.quote_id = r.quote_id
                     AND ql.position = l.position AND ql.line_total = l.line_total
                WHERE ql.id IS NULL)""",
    "records carry their customer's owner": """
        SELECT (SELECT count(*) FROM opportunities_opportunity t
                JOIN customers_customer c ON c.id = t.customer_id
                WHERE t.customer_owner_id <> c.owner_id)
             + (SELECT count(*) FROM communications_communication t
                JOIN customers_customer c ON c.id = t.customer_id
                WHERE t.customer_owner_id <> c.owner_id)
             + (SELECT count(*) FROM quotes_quote t
                JOIN customers_customer c ON c.id = t.customer_id
                WHERE t.customer_owner_id <> c.owner_id)
             + (SELECT count(*) FROM orders_order t
                JOIN customers_customer c ON c.id = t.customer_id
                WHERE t.customer_owner_id <> c.owner_id)""",
    "communication's deal belongs to its customer": """
        SELECT count(*) FROM communications_communication c
        JOIN opportunities_opportunity o ON o.id = c.opportunity_id
        WHERE o.customer_id <> c.customer_id""",
    "stage probability unless overridden": """
        SELECT count(*) FROM opportunities_opportunity
        WHERE NOT probability_is_custom AND probability <> CASE stage
            WHEN 'prospecting' THEN 10 WHEN 'qualified' THEN 25 WHEN 'proposal' THEN 50
            WHEN 'negotiation' THEN 75 WHEN 'won' THEN 100 ELSE 0 END""",
    "weighted amount is amount x probability": """
        SELECT count(*) FROM opportunities_opportunity
        WHERE weighted_amount <> round(amount * probability / 100, 2)""",
    "phone_normalized holds the phone's digits": """
        SELECT count(*) FROM customers_customer
        WHERE phone_normalized <> regexp_replace(phone, '\\D', '', 'g')""",
    # The generated names and e-mails are ASCII or CJK, which PostgreSQL folds as Python does.
    "name_key and email_key hold the matching keys": f"""
        SELECT count(*) FROM customers_customer
        WHERE name_key <> {KEYS_SQL["name_key"]} OR email_key <> {KEYS_SQL["email_key"]}""",
    "every owner is a salesperson": """
        SELECT count(*) FROM customers_customer c WHERE NOT EXISTS (
            SELECT 1 FROM auth_user_groups ug JOIN auth_group g ON g.id = ug.group_id
            WHERE ug.user_id = c.owner_id AND g.name = 'Sales')""",
    "quote and order numbers follow their series": """
        SELECT (SELECT count(*) FROM quotes_quote WHERE number !~ '^Q-\\d{4}-\\d{5,}$')
             + (SELECT count(*) FROM orders_order WHERE number !~ '^SO-\\d{4}-\\d{5,}$')""",
    "numbering continues after the generated numbers": """
        SELECT count(*) FROM (
            SELECT split_part(number, '-', 1) || '-' || split_part(number, '-', 2) AS series,
                   max(split_part(number, '-', 3)::int) AS last
            FROM (SELECT number FROM quotes_quote UNION ALL SELECT number FROM orders_order) n
            GROUP BY 1) used
        LEFT JOIN crm_numbersequence s ON s.series = used.series
        WHERE s.last IS NULL OR s.last < used.last""",
    "timestamps in order": """
        SELECT (SELECT count(*) FROM customers_customer WHERE updated_at < created_at)
             + (SELECT count(*) FROM opportunities_opportunity WHERE updated_at < created_at
                   OR closed_at < created_at)
             + (SELECT count(*) FROM quotes_quote WHERE submitted_at < created_at
                   OR decided_at < submitted_at OR sent_at < decided_at
                   OR updated_at < created_at)
             + (SELECT count(*) FROM orders_order WHERE confirmed_at < created_at
                   OR fulfilled_at < confirmed_at OR completed_at < fulfilled_at)""",
}


def rule_violations() -> dict[str, int]:
    """{rule: rows breaking it}; all zero for data the generator wrote."""
    with connection.cursor() as cursor:
        result = {}
        for rule, query in RULES.items():
            cursor.execute(query)
            result[rule] = cursor.fetchone()[0]
    return result
