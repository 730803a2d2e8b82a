import time, pytest
from django.core.management import call_command
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a():
    t=time.time(); call_command("load_sample_data", verbosity=0); print("LOAD", time.time()-t)
def test_b():
    t=time.time(); call_command("load_sample_data", verbosity=0); print("LOAD", time.time()-t)
