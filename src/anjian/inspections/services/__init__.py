"""Writes of the inspection app (one module a subject; pages, the API, imports and the demo all come here).

``catalogue``: items, pools, officers and plans (一单两库, 检查计划); ``draws``: the double-random
draw's life cycle; ``grading``: 差异化监管 grades. Other modules of the app add theirs beside them.
"""
