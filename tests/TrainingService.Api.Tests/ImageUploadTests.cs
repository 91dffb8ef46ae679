using System.Net;
using System.Net.Http.Json;
using SixLabors.ImageSharp.PixelFormats;
using TrainingService.Api.Datasets;
using TrainingService.Engine.Data;
using static TrainingService.Api.Tests.ImageZip;

namespace TrainingService.Api.Tests;

/// <summary>Folders of images uploaded as a zip: decoded, resized and converted as asked, refused clearly otherwise.</summary>
public sealed class ImageUploadTests
{
    private static readonly Rgb24 Red = new(255, 0, 0), Blue = new(0, 0, 255), White = new(255, 255, 255), Black = new(0, 0, 0);

    private static Dataset Stored(ServiceFactory factory, string name) =>
        ImageSetFile.Load(Path.Combine(factory.DataDirectory, "uploads", name + ".images"), name, name);

    /// <summary>Pixel (x, y) of channel c of image i, 0..255.</summary>
    private static int Pixel(Dataset d, int i, int c, int x, int y) =>
        (int)Math.Round(d.Row(i)[(c * d.Shape.Height + y) * d.Shape.Width + x] * 255);

    private static byte[] Mixed() => Zip(
        ("cats/a.png", Solid("png", 10, 7, Red)),
        ("cats/b.jpg", Grey("jpg", 50, 40, 128)),
        ("dogs/c.bmp", Solid("bmp", 3, 3, Blue)),
        ("dogs/inside/d.gif", Solid("gif", 16, 16, White, right: Black)));

    [Fact]
    public async Task MixedFormatsSizesAndColourBecomeOneSetOfTheAskedShape()
    {
        await using var factory = new ServiceFactory(settings: new() { ["Training:WorkerEnabled"] = "false" });
        var response = await factory.CreateClient().PostAsync("/api/datasets", Form(Mixed(), "pets", width: 4, height: 4, channels: 3));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var dto = (await response.Content.ReadFromJsonAsync<DatasetDto>(Api.Json))!;
        Assert.Equal(("pets", "upload", "classification", 2, 4, 48), (dto.Id, dto.Kind, dto.Task, dto.Classes, dto.Rows, dto.Features));
        Assert.Equal([3, 4, 4], dto.Shape!);

        var d = Stored(factory, "pets");
        Assert.Equal(["cats", "dogs"], d.ClassNames!);
        Assert.Equal([0f, 0f, 1f, 1f], d.Y); // sorted by path: cats/a, cats/b, dogs/c, dogs/inside/d
        Assert.Equal((255, 0, 0), (Pixel(d, 0, 0, 2, 1), Pixel(d, 0, 1, 2, 1), Pixel(d, 0, 2, 2, 1)));
        for (int c = 0; c < 3; c++) Assert.InRange(Pixel(d, 1, c, 3, 3), 124, 132); // JPEG: close to 128
        Assert.Equal((0, 0, 255), (Pixel(d, 2, 0, 0, 0), Pixel(d, 2, 1, 3, 3), Pixel(d, 2, 2, 1, 2)));
        Assert.Equal((255, 0), (Pixel(d, 3, 1, 0, 2), Pixel(d, 3, 1, 3, 2))); // white left, black right
    }

    [Fact]
    public async Task ChannelsOneConvertsColourToLumaAndAllGreyImagesDefaultToOneChannelOf32By32()
    {
        await using var factory = new ServiceFactory(settings: new() { ["Training:WorkerEnabled"] = "false" });
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/datasets", Form(Mixed(), "grey", width: 5, height: 3, channels: 1))).StatusCode);
        var d = Stored(factory, "grey");
        Assert.Equal((1, 3, 5), (d.Shape.Channels, d.Shape.Height, d.Shape.Width));
        Assert.Equal(76, Pixel(d, 0, 0, 4, 2)); // round(0.299 × 255)
        Assert.Equal(29, Pixel(d, 2, 0, 0, 0)); // round(0.114 × 255)

        var greyOnly = Zip(("a/1.png", Grey("png", 40, 40, 10)), ("b/1.bmp", Solid("bmp", 20, 30, new Rgb24(90, 90, 90))));
        var dto = (await (await client.PostAsync("/api/datasets", Form(greyOnly, "defaults"))).Content.ReadFromJsonAsync<DatasetDto>(Api.Json))!;
        Assert.Equal([1, 32, 32], dto.Shape!);
        Assert.Equal(90, Pixel(Stored(factory, "defaults"), 1, 0, 31, 31));

        var colour = Zip(("a/1.png", Solid("png", 8, 8, Red)), ("b/1.png", Grey("png", 8, 8, 3)));
        dto = (await (await client.PostAsync("/api/datasets", Form(colour, "colour"))).Content.ReadFromJsonAsync<DatasetDto>(Api.Json))!;
        Assert.Equal([3, 32, 32], dto.Shape!);
    }

    [Fact]
    public async Task AnAnimatedGifIsItsFirstFrame()
    {
        await using var factory = new ServiceFactory(settings: new() { ["Training:WorkerEnabled"] = "false" });
        var zip = Zip(("a/anim.gif", Animated(5, 5, Red, Blue, Blue)), ("b/1.png", Solid("png", 5, 5, Blue)));
        Assert.Equal(HttpStatusCode.Created, (await factory.CreateClient().PostAsync("/api/datasets", Form(zip, "anim", 5, 5, 3))).StatusCode);
        var d = Stored(factory, "anim");
        Assert.Equal((255, 0, 0), (Pixel(d, 0, 0, 2, 2), Pixel(d, 0, 1, 2, 2), Pixel(d, 0, 2, 2, 2)));
    }

    public static TheoryData<string, string> Refusals() => new()
    {
        { "no-folders", "no class folders" },
        { "loose", "must be inside a folder named for their class" },
        { "one-class", "one class folder ('cats')" },
        { "not-images", "'cats/notes.txt', 'dogs/fake.png' are not images" },
        { "nested", "'dogs/more.zip' is an archive inside the archive" },
        { "nested-renamed", "'dogs/more.png' is an archive inside the archive" },
        { "slip", "'../escape/x.png' points outside the archive's folder" },
        { "absolute", "'/etc/x.png' points outside the archive's folder" },
        { "too-many-files", "at most 5 images are accepted (Training__MaxImageFiles)" },
        { "too-many-pixels", "'cats/big.png' is 400×300 pixels; at most 100000 pixels per image" },
        { "too-many-bytes", "larger than the limit of 60000 bytes" },
        { "too-large-set", "at most 100000 (Training__MaxImageSetBytes)" },
        { "not-a-zip", "not a readable .zip archive" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task BadZipsAreRefusedNamingTheProblem(string zipCase, string expected)
    {
        await using var factory = new ServiceFactory(settings: new()
        {
            ["Training:WorkerEnabled"] = "false", ["Training:MaxImageFiles"] = "5", ["Training:MaxImagePixels"] = "100000",
            ["Training:MaxImageZipBytes"] = "60000", ["Training:MaxImageSetBytes"] = "100000", ["Training:RateLimitPermits"] = "0",
        });
        byte[] png = Solid("png", 4, 4, Red);
        byte[] zip = zipCase switch
        {
            "no-folders" => Zip(("__MACOSX/cats/._a.png", png), (".hidden/a.png", png)),
            "loose" => Zip(("cats/a.png", png), ("readme.png", png)),
            "one-class" => Zip(("cats/a.png", png), ("cats/b.png", png)),
            "not-images" => Zip(("cats/a.png", png), ("cats/notes.txt", "hello"u8.ToArray()), ("dogs/fake.png", "not a png"u8.ToArray())),
            "nested" => Zip(("cats/a.png", png), ("dogs/more.zip", Zip(("x/a.png", png)))),
            "nested-renamed" => Zip(("cats/a.png", png), ("dogs/more.png", Zip(("x/a.png", png)))),
            "slip" => Zip(("cats/a.png", png), ("../escape/x.png", png)),
            "absolute" => Zip(("cats/a.png", png), ("/etc/x.png", png)),
            "too-many-files" => Zip(Enumerable.Range(0, 6).Select(i => ($"{(i % 2 == 0 ? "cats" : "dogs")}/{i}.png", png)).ToArray()),
            "too-many-pixels" => Zip(("cats/big.png", Solid("png", 400, 300, Red)), ("dogs/a.png", png)),
            "too-many-bytes" => Zip(("cats/a.png", Noise(70_000)), ("dogs/a.png", png)), // does not compress
            "too-large-set" => Zip(("cats/a.png", png), ("dogs/a.png", png)),
            "not-a-zip" => "just text"u8.ToArray(),
            _ => throw new ArgumentException(zipCase),
        };
        var form = zipCase == "too-large-set" ? Form(zip, "set", width: 200, height: 200, channels: 3) : Form(zip, "set");
        var problem = await (await factory.CreateClient().PostAsync("/api/datasets", form)).ProblemAsync(HttpStatusCode.BadRequest);
        string field = zipCase == "too-large-set" ? "width" : "file";
        Assert.Contains(expected, Assert.Single(problem.Errors[field]));
        Assert.Empty(Directory.GetFiles(Path.Combine(factory.DataDirectory, "uploads")));
    }

    private static byte[] Noise(int length)
    {
        var bytes = new byte[length];
        new Random(1).NextBytes(bytes);
        return bytes;
    }

    [Theory]
    [InlineData("width", "0", "'0' is not a whole number of pixels from 1 to 1024")]
    [InlineData("height", "abc", "'abc' is not a whole number of pixels from 1 to 1024")]
    [InlineData("channels", "2", "'2' is not 1 (grey) or 3 (colour)")]
    public async Task BadSizeFieldsAreRefusedNamingTheField(string field, string value, string expected)
    {
        await using var factory = new ServiceFactory(settings: new() { ["Training:WorkerEnabled"] = "false" });
        var form = Form(Zip(("a/1.png", Solid("png", 4, 4, Red)), ("b/1.png", Solid("png", 4, 4, Blue))), "set");
        form.Add(new StringContent(value), field);
        var problem = await (await factory.CreateClient().PostAsync("/api/datasets", form)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(expected, Assert.Single(problem.Errors[field]));
    }

    [Fact]
    public async Task AnUploadedNameIsTakenForCsvsAndImagesAlike()
    {
        await using var factory = new ServiceFactory(settings: new() { ["Training:WorkerEnabled"] = "false" });
        var client = factory.CreateClient();
        var zip = Zip(("a/1.png", Solid("png", 4, 4, Red)), ("b/1.png", Solid("png", 4, 4, Blue)));
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/datasets", Form(zip, "taken"))).StatusCode);
        await (await client.PostAsync("/api/datasets", Form(zip, "taken"))).ProblemAsync(HttpStatusCode.Conflict);
        var csv = new MultipartFormDataContent { { new StringContent("x,label\n1,a\n2,b\n"), "file", "taken.csv" } };
        await (await client.PostAsync("/api/datasets", csv)).ProblemAsync(HttpStatusCode.Conflict);
        var surface = await (await client.PostAsync("/api/datasets", Form(zip, "rosenbrock"))).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("is the name of a test surface", Assert.Single(surface.Errors["name"]));
    }

    /// <summary>PUT replaces like with like: an image set with a new zip (sized as the new form asks), never with a CSV.</summary>
    [Fact]
    public async Task AnImageSetIsReplacedByANewZipAndNotByACsv()
    {
        await using var factory = new ServiceFactory(settings: new() { ["Training:WorkerEnabled"] = "false" });
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/datasets", Form(BrightAndDark(3), "pics", width: 6, height: 6))).StatusCode);
        Assert.Equal(6, Stored(factory, "pics").Count);

        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync("/api/datasets/pics", Form(BrightAndDark(5), "pics", width: 4, height: 3, channels: 1))).StatusCode);
        var replaced = Stored(factory, "pics");
        Assert.Equal(10, replaced.Count);
        Assert.Equal(new Engine.Tensors.Shape(1, 3, 4), replaced.Shape);

        var csv = new MultipartFormDataContent { { new StringContent("x,label\n1,a\n2,b\n"), "file", "t.csv" } };
        var problem = await (await client.PutAsync("/api/datasets/pics", csv)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("replace it with a .zip", Assert.Single(problem.Errors["file"]));
        Assert.Equal(10, Stored(factory, "pics").Count);
        Assert.False(File.Exists(Path.Combine(factory.DataDirectory, "uploads", "pics.csv")));
    }

    /// <summary>Decoding checks the request's token before each image: a dropped upload stops instead of decoding on.</summary>
    [Fact]
    public void DecodingAZipStopsWhenItsRequestIsCancelled()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, BrightAndDark(3));
            var limits = new ImageZipLimits(100, 1 << 24, 1 << 20, 1 << 24);
            var request = new ImageRequest(4, 4, null);
            Assert.NotNull(TrainingService.Api.Datasets.ImageZip.Read(path, request, limits).Set);
            using var cancelled = new CancellationTokenSource();
            cancelled.Cancel();
            Assert.ThrowsAny<OperationCanceledException>(() => TrainingService.Api.Datasets.ImageZip.Read(path, request, limits, cancelled.Token));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
