"""Work orders (工单) from the 12345 hotline and the provincial platform: ``intake`` checks a file and files it through
the intake service, ``views`` is the hotline operators' import page (``urls``: ``cases:import_work_orders``)."""
