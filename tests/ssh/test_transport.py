def test_a_single_path_string_is_one_file_not_one_letter_paths() -> None:
    from cockpit.transports.ssh import SshPool

    pool = SshPool(known_hosts="/tmp/kh", config="/tmp/cfg", client_keys="/tmp/key")
    assert tuple(pool.options.known_hosts) == ("/tmp/kh",)
    assert tuple(pool.options.config or ()) == ("/tmp/cfg",)
    assert tuple(pool.options.client_keys or ()) == ("/tmp/key",)
