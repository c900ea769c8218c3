import datetime as dt

import pytest

from grassroots.core.crypto import blind_index
from grassroots.people.models import Household, Person

ID_NUMBERS = [f"3705021970010{i}00{i}X" for i in range(6)]


@pytest.fixture
def roll_world(world):
    """安泰社区 (c1) with six adult residents in households of b1 and b2 (two share the name 王芳)."""
    w = world
    w.h101 = Household.objects.create(building=w.b1, room="101")
    w.h102 = Household.objects.create(building=w.b1, room="102")
    w.h201 = Household.objects.create(building=w.b2, room="201")
    names = ["赵一", "钱二", "孙三", "李四", "王芳", "王芳"]
    w.people = [Person.objects.create(name=n, building=w.b1 if i % 2 == 0 else w.b2, region=w.g1 if i % 2 == 0 else w.g2,
                                      birth_date=dt.date(1970 + i, 1, 1), household=[w.h101, w.h201, w.h102][i % 3],
                                      id_number=ID_NUMBERS[i], id_number_index=blind_index(ID_NUMBERS[i], purpose="id_number"))
                for i, n in enumerate(names)]
    w.outsider = Person.objects.create(name="周外", building=w.b3, region=w.g3, birth_date=dt.date(1980, 1, 1))
    return w
