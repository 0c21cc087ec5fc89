import Testing
@testable import TensorRuntime

/// Files written by the real numpy are read by Hypatia, and the other way round.
/// Skipped (visibly) when `python3 -c "import numpy"` fails.
@Suite("numpy interoperability", .enabled(if: Python.hasNumpy, "python3 with numpy is not available"))
struct NumpyInteropTests {
    /// Expected contents of the fixtures numpy writes, computed independently in Swift.
    static func expected() throws -> [String: Tensor] {
        [
            "f4": try Tensor(shape: [2, 3, 4], scalars: (0..<24).map { Float($0) / 7 }),
            "f8": try Tensor(shape: [3], scalars: [0.1, -2.5, 1e300]),
            "i4": try Tensor(shape: [2, 2], scalars: [Int32(-3), 2, 1, Int32.min]),
            "i8": try Tensor(shape: [2], scalars: [Int64(1) << 40, -5]),
            "u1": Tensor([UInt8(0), 255, 7]),
            "b1": Tensor([true, false, true]),
            "scalar": Tensor(2.5, dtype: .float64),
            "empty": Tensor(zeros: [0], dtype: .float32),
            "big_endian": try Tensor(shape: [2, 3], scalars: (0..<6).map { Int32($0) }),
            "fortran": try Tensor(shape: [2, 3, 4], scalars: (0..<24).map { Double($0) }),
            "version2": Tensor([Float(1), 2]),
        ]
    }

    static let writeFixtures = """
    import sys, numpy as np
    d = sys.argv[1]
    arrays = {
        'f4': np.arange(24, dtype='<f4').reshape(2, 3, 4) / np.float32(7),
        'f8': np.array([0.1, -2.5, 1e300]),
        'i4': np.array([[-3, 2], [1, -2**31]], dtype='<i4'),
        'i8': np.array([2**40, -5], dtype='<i8'),
        'u1': np.array([0, 255, 7], dtype='u1'),
        'b1': np.array([True, False, True]),
        'scalar': np.float64(2.5),
        'empty': np.zeros((0,), 'f4'),
        'big_endian': np.arange(6, dtype='>i4').reshape(2, 3),
        'fortran': np.asfortranarray(np.arange(24, dtype='<f8').reshape(2, 3, 4)),
    }
    for name, a in arrays.items():
        np.save(d + '/' + name + '.npy', a)
    with open(d + '/version2.npy', 'wb') as f:
        np.lib.format.write_array(f, np.array([1, 2], dtype='<f4'), version=(2, 0))
    np.savez(d + '/plain.npz', **arrays)
    np.savez_compressed(d + '/compressed.npz', **arrays)
    """

    @Test func readsFilesWrittenByNumpy() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let run = try Python.run(Self.writeFixtures, arguments: [dir.path])
        try #require(run.status == 0, "python failed: \(run.output)")
        var expected = try Self.expected()
        for (name, tensor) in expected {
            #expect(try Tensor(contentsOfNPY: dir.file(name + ".npy")) == tensor, "\(name).npy")
        }
        expected["version2"] = nil
        #expect(try readNPZ(dir.file("plain.npz")) == expected)
        #expect(try readNPZ(dir.file("compressed.npz")) == expected)
    }

    static let checkOurs = """
    import sys, numpy as np
    d = sys.argv[1]
    def check(name, a):
        b = np.load(d + '/' + name + '.npy')
        assert b.dtype == a.dtype and b.shape == a.shape and np.array_equal(b, a), (name, b, a)
    check('f4', np.arange(24, dtype='<f4').reshape(2, 3, 4) / np.float32(7))
    check('f8', np.array([0.1, -2.5, 1e300]))
    check('i4', np.array([[-3, 2], [1, -2**31]], dtype='<i4'))
    check('i8', np.array([2**40, -5], dtype='<i8'))
    check('u1', np.array([0, 255, 7], dtype='u1'))
    check('b1', np.array([True, False, True]))
    check('scalar', np.float64(2.5))
    check('empty', np.zeros((0,), 'f4'))
    z = np.load(d + '/all.npz')
    assert sorted(z.files) == ['b1', 'f4', 'u1'], z.files
    assert np.array_equal(z['f4'], np.arange(24, dtype='<f4').reshape(2, 3, 4) / np.float32(7))
    assert z['u1'].dtype == np.uint8 and z['b1'].dtype == np.bool_
    print('ok')
    """

    @Test func numpyReadsOurFiles() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let expected = try Self.expected()
        for name in ["f4", "f8", "i4", "i8", "u1", "b1", "scalar", "empty"] {
            try expected[name]!.write(npyTo: dir.file(name + ".npy"))
        }
        try writeNPZ(expected.filter { ["f4", "u1", "b1"].contains($0.key) }, to: dir.file("all.npz"))
        let run = try Python.run(Self.checkOurs, arguments: [dir.path])
        #expect(run.status == 0 && run.output.contains("ok"), "numpy rejected our files: \(run.output)")
    }
}
