namespace MPM.Web.Demo;

/// <summary>Given names and surnames common in the demo's two regions of Tanzania.</summary>
public static class TanzanianNames
{
    public static IReadOnlyList<string> Female { get; } =
    [
        "Neema", "Rehema", "Zawadi", "Upendo", "Amina", "Halima", "Mariamu", "Esther", "Grace", "Agnes", "Anna", "Rose",
        "Joyce", "Happiness", "Witness", "Mwajuma", "Zuhura", "Saida", "Fatuma", "Asha", "Mwanahawa", "Modesta", "Pendo",
        "Subira", "Winfrida", "Elizabeth", "Veronica", "Kabula", "Nyamizi", "Sikitu", "Tatu", "Mwanaisha", "Salome",
        "Leah", "Christina", "Rahel", "Tumaini", "Faraja", "Imani", "Jesca", "Scholastica", "Consolata", "Theresia",
    ];

    public static IReadOnlyList<string> Male { get; } =
    [
        "Juma", "Baraka", "Hamisi", "Mussa", "Salum", "Emmanuel", "Joseph", "John", "Daudi", "Elia", "Petro", "Shabani",
        "Rashidi", "Athumani", "Abdallah", "Bakari", "Omari", "Issa", "Ally", "Said", "Mwita", "Masanja", "Kulwa", "Doto",
        "Shija", "Nkwabi", "Makoye", "Mayala", "Lucas", "Yohana", "Paulo", "Godfrey", "Ramadhani", "Hassani", "Zuberi",
        "Selemani", "Amani", "Nassoro", "Kassim", "Frank", "Deogratias", "Elisha", "Makame", "Jumanne", "Hussein",
    ];

    /// <summary>Sukuma, Kerewe, Haya and Swahili surnames: the Lake Victoria shore and islands.</summary>
    public static IReadOnlyList<string> LakeVictoria { get; } =
    [
        "Masanja", "Mabula", "Luhende", "Nyanda", "Shija", "Mayunga", "Ngassa", "Bundala", "Mashauri", "Kasubi",
        "Makoye", "Kulwa", "Nkwabi", "Ndalahwa", "Mahona", "Lutema", "Magesa", "Buhija", "Sayi", "Misungwi", "Bujiku",
        "Malimi", "Maduhu", "Kalwani", "Mayala", "Mashimba", "Lugembe", "Mugini", "Rugemalira", "Kagaruki", "Bishanga",
        "Rwegasira", "Chacha", "Mwita", "Marwa", "Wambura", "Nyamhanga",
    ];

    /// <summary>Ha and Swahili surnames: the Kigoma shore of Lake Tanganyika.</summary>
    public static IReadOnlyList<string> LakeTanganyika { get; } =
    [
        "Kaduri", "Ntibaruta", "Sabuni", "Bitegeko", "Kabwe", "Buhoro", "Ruyagwa", "Ntahondi", "Kasuku", "Nzigirwa",
        "Manirakiza", "Ruhumbika", "Kasongo", "Hamza", "Mpanda", "Bahati", "Ndayanse", "Rusimbi", "Kitwana", "Mwamba",
        "Lubunga", "Kajoro", "Simbeye", "Kalinga", "Bulaya", "Nyembo",
    ];

    /// <summary>Surnames heard everywhere in the country.</summary>
    public static IReadOnlyList<string> Everywhere { get; } =
    [
        "Juma", "Hassan", "Ally", "Salim", "Omari", "Mbwana", "Kombo", "Haji", "Mohamed", "Rajabu", "Bakari", "Seif",
        "Mollel", "Massawe", "Kimaro", "Shirima", "Mushi", "Lyimo", "Swai", "Mrema", "Temba", "Kisanga", "Mwakyusa",
        "Mwakalinga", "Sanga", "Mgaya", "Ndunguru", "Mfinanga", "Mapunda", "Komba",
    ];

    public static IReadOnlyList<string> Streets { get; } =
    [
        "Mtaa wa Sokoni", "Mtaa wa Kanisani", "Mtaa wa Msikitini", "Mtaa wa Shuleni", "Mtaa wa Bandarini",
        "Mtaa wa Zahanati", "Mtaa wa Mnadani", "Mtaa wa Kati", "Mtaa wa Juu", "Mtaa wa Chini", "Barabara ya Ziwa",
    ];
}
