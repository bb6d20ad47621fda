using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using CompactRnn.Interop;
using CompactRnn.Layers;
using CompactRnn.Models;
using CompactRnn.Tests.Serialization;

namespace CompactRnn.Tests.Reliability;

/// <summary>Issue #13 defect 6: the importer and its readers throw only documented types, naming the field, and check sizes before building.</summary>
public class HostileImporterTests
{
    private const long Slack = 64L << 20;

    public static TheoryData<string, string> HostileJson => new()
    {
        { "not json", "not a valid JSON state dict" },
        { """{"tensors":{}} {"tensors":{}}""", "not a valid JSON state dict" },
        { """[1, 2]""", "no \"tensors\" object" },
        { """{"tensors":{"w":{"shape":[1],"data":[1]},"w":{"shape":[1],"data":[2]}}}""", "not a valid JSON state dict" },
        { """{"tensors":{"w":{"shape":["a"],"data":[1]}}}""", "'w'" },
        { """{"tensors":{"w":{"shape":[2147483648],"data":[1]}}}""", "'w'" },
        { """{"tensors":{"w":{"shape":[-1],"data":[]}}}""", "'w' in" },
        { """{"tensors":{"w":{"shape":[1],"data":["x"]}}}""", "element 0" },
        { """{"tensors":{"w":{"shape":[65536,65536],"data":[1]}}}""", "but 1 elements" },
        { """{"tensors":{"w":{"shape":[1,1,1,1,1,1,1,1,1],"data":[1]}}}""", "9 dimensions" },
        { """{"tensors":{"w":[1]}}""", "'w' in" },
        { """{"tensors":{"w":{"shape":[1],"data":[1]}},"metadata":{"a":1}}""", "metadata entry 'a'" },
        { """{"tensors":{"\ud800":{"shape":[1],"data":[1]}}}""", "Unicode" },
    };

    [Theory]
    [MemberData(nameof(HostileJson))]
    public void JsonStateDict_Malformed_IsInvalidDataNamingTheProblem(string text, string expected)
    {
        using var folder = new TemporaryDirectory();
        string path = folder.File("sd.json");
        File.WriteAllText(path, text);

        var error = Assert.Throws<InvalidDataException>(() => PyTorchLstmImporter.ImportFile(path));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => PyTorchLstmImporter.ImportJson(path));
    }

    [Fact]
    public void JsonStateDict_ContentErrors_AreInvalidDataFromImportJsonToo()
    {
        using var folder = new TemporaryDirectory();
        string path = folder.File("sd.json");
        File.WriteAllText(path, """{"tensors":{"weight_ih_l0":{"shape":[4,1],"data":[1,2,3,4]}}}""");

        var error = Assert.Throws<InvalidDataException>(() => PyTorchLstmImporter.ImportJson(path));
        Assert.Contains("weight_hh_l0", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"w":{"dtype":"F32","shape":["a"],"data_offsets":[0,4]}}""", "'w' has dimension 0")]
    [InlineData("""{"w":{"dtype":"F32","shape":[1],"data_offsets":["0",4]}}""", "'w' has data_offsets")]
    [InlineData("""{"w":{"dtype":"F64","shape":[1073741824,2],"data_offsets":[0,4]}}""", "'w' is larger than")]
    [InlineData("""{"\ud800":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", "not valid Unicode")]
    public void Safetensors_NonNumbersAndHugeTensors_AreInvalidData(string header, string expected)
    {
        using var folder = new TemporaryDirectory();
        string path = folder.File("sd.safetensors");
        byte[] json = Encoding.UTF8.GetBytes(header);
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((ulong)json.Length), .. json, .. new byte[4]]);

        var error = Assert.Throws<InvalidDataException>(() => PyTorchLstmImporter.ImportFile(path));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BidirectionalStateDict_IsRejectedNamingTheReverseTensor()
    {
        Dictionary<string, PyTorchTensor> forward = Dense(input: 3, hidden: 2, layers: 1);
        var both = new Dictionary<string, PyTorchTensor>(forward);
        foreach (var (name, tensor) in forward)
        {
            both[name + "_reverse"] = tensor;
        }

        var error = Assert.Throws<ArgumentException>(() => PyTorchLstmImporter.Import(both));
        Assert.Contains("_reverse'", error.Message, StringComparison.Ordinal);
        Assert.Contains("bidirectional", error.Message, StringComparison.Ordinal);

        using var folder = new TemporaryDirectory();
        string path = folder.File("bi.safetensors");
        SafetensorsFile.Write(path, both);
        var fileError = Assert.Throws<InvalidDataException>(() => PyTorchLstmImporter.ImportFile(path));
        Assert.Contains("bidirectional", fileError.Message, StringComparison.Ordinal);

        // With configuration metadata too: the reverse direction is named, not reported as a generic leftover.
        var model = LstmModel.CreateInitialized(new LstmNetworkOptions { InputSize = 3, Layers = [new LstmLayerOptions { HiddenSize = 2 }] }, seed: 1);
        StateDict exported = PyTorchLstmExporter.Export(model.Network, model.Parameters);
        var tensors = new Dictionary<string, PyTorchTensor>(exported.Tensors) { ["weight_hh_l0_reverse"] = exported.Tensors["weight_hh_l0"] };
        var metadataError = Assert.Throws<ArgumentException>(() => PyTorchLstmImporter.Import(exported with { Tensors = tensors }));
        Assert.Contains("weight_hh_l0_reverse", metadataError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProjectionTensorOfRankZero_IsArgumentExceptionNotIndexOutOfRange()
    {
        Dictionary<string, PyTorchTensor> tensors = Dense(input: 3, hidden: 2, layers: 1);
        tensors["weight_hr_l0"] = new PyTorchTensor([], [1f]);

        var error = Assert.Throws<ArgumentException>(() => PyTorchLstmImporter.Import(tensors));
        Assert.Contains("weight_hr_l0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HugeHiddenSizeFromOneTensor_IsRejectedBeforeTheNetworkIsBuilt()
    {
        // weight_ih_l0 of [4·2^19, 1] says 2^19 cells; a network of that size would need 2^40 floats for W_r.
        var tensors = new Dictionary<string, PyTorchTensor>
        {
            ["weight_ih_l0"] = new PyTorchTensor([4 << 19, 1], new float[4 << 19]),
            ["weight_hh_l0"] = new PyTorchTensor([4 << 19, 1], new float[4 << 19]),
            ["bias_ih_l0"] = new PyTorchTensor([4 << 19], new float[4 << 19]),
            ["bias_hh_l0"] = new PyTorchTensor([4 << 19], new float[4 << 19]),
        };
        long before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<ArgumentException>(() => PyTorchLstmImporter.Import(tensors));

        Assert.Contains("weight_hh_l0", error.Message, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < Slack);
    }

    [Fact]
    public void ConfigurationMetadataDescribingAHugeNetwork_IsRejectedBeforeBuilding()
    {
        byte[] configuration = CraftedModelTests.Configuration(1 << 18, 1 << 18, "toeplitz", 1, 8);
        var metadata = new Dictionary<string, string> { [PyTorchLstmExporter.ConfigurationKey] = Encoding.UTF8.GetString(configuration) };
        var stateDict = new StateDict(new Dictionary<string, PyTorchTensor> { ["weight_ih_l0.G"] = new PyTorchTensor([2], [1f, 2f]) }, metadata);
        long before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<ArgumentException>(() => PyTorchLstmImporter.Import(stateDict));

        Assert.Contains(PyTorchLstmExporter.ConfigurationKey, error.Message, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < Slack, "allocated before rejecting");
    }

    [Fact]
    public void ConfigurationMetadata_ValueCountDifferentFromTheExport_IsRejectedNamingCounts()
    {
        var options = new LstmNetworkOptions { InputSize = 6, Layers = NetworkSpec.Parse("toeplitz:r=2 x2", new LstmLayerOptions { HiddenSize = 8 }), OutputSize = 3 };
        var model = LstmModel.CreateInitialized(options, seed: 2);
        StateDict exported = PyTorchLstmExporter.Export(model.Network, model.Parameters);
        var (network, parameters) = PyTorchLstmImporter.Import(exported); // the untouched export imports
        Assert.Equal(model.Parameters.ToArray(), parameters);
        Assert.Equal(options.Layers, network.Options.Layers);

        var missing = new Dictionary<string, PyTorchTensor>(exported.Tensors);
        missing.Remove("weight_hh_l1.G");
        var error = Assert.Throws<ArgumentException>(() => PyTorchLstmImporter.Import(exported with { Tensors = missing }));
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"holds only {missing.Values.Sum(t => t.Data.Length)}"), error.Message, StringComparison.Ordinal);

        var extra = new Dictionary<string, PyTorchTensor>(exported.Tensors) { ["extra"] = new PyTorchTensor([1], [0f]) };
        error = Assert.Throws<ArgumentException>(() => PyTorchLstmImporter.Import(exported with { Tensors = extra }));
        Assert.Contains("'extra'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigurationMetadata_Malformed_IsArgumentExceptionNamingTheKey()
    {
        var stateDict = new StateDict(new Dictionary<string, PyTorchTensor>(), new Dictionary<string, string> { [PyTorchLstmExporter.ConfigurationKey] = "{\"format\":1" });

        var error = Assert.Throws<ArgumentException>(() => PyTorchLstmImporter.Import(stateDict));
        Assert.Contains(PyTorchLstmExporter.ConfigurationKey, error.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, PyTorchTensor> Dense(int input, int hidden, int layers)
    {
        var result = new Dictionary<string, PyTorchTensor>(StringComparer.Ordinal);
        for (int k = 0; k < layers; k++)
        {
            int columns = k == 0 ? input : hidden;
            result[$"weight_ih_l{k}"] = new PyTorchTensor([4 * hidden, columns], Values(4 * hidden * columns));
            result[$"weight_hh_l{k}"] = new PyTorchTensor([4 * hidden, hidden], Values(4 * hidden * hidden));
            result[$"bias_ih_l{k}"] = new PyTorchTensor([4 * hidden], Values(4 * hidden));
            result[$"bias_hh_l{k}"] = new PyTorchTensor([4 * hidden], Values(4 * hidden));
        }

        return result;
    }

    private static float[] Values(int count) => [.. Enumerable.Range(0, count).Select(i => 0.01f * (i % 7))];
}
