"""Names of simulated data sets: parameters in, the same parameters out."""

import pytest

from zerolag.datanames import SimulatedData


def test_name_round_trip_and_shared_simulation():
    data = SimulatedData(200000, 0.1, noise_std=0.5, observed=0.8)
    assert data.name == "ou_T200000_tau0.1_sig0.5_obs0.8"
    assert SimulatedData.from_name(data.name) == data
    assert data.simulation == SimulatedData(200000, 0.1).simulation == "ou_T200000_tau0.1"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"duration": 0, "tau": 0.1}, "duration"),
        ({"duration": 10, "tau": -1}, "tau"),
        ({"duration": 10, "tau": 0.1, "noise_std": -0.5}, "noise_std"),
        ({"duration": 10, "tau": 0.1, "observed": 1.5}, "observed"),
        ({"duration": 10, "tau": 0.1, "observed": 0}, "observed"),
    ],
)
def test_bad_parameters(kwargs, message):
    with pytest.raises(ValueError, match=message):
        SimulatedData(**kwargs)


def test_not_a_name():
    with pytest.raises(ValueError, match="not a simulated-data name"):
        SimulatedData.from_name("noisefree")
